import { ref, shallowRef } from 'vue'

/** One page of a journal: rows newest first, and how many match in all. */
export interface JournalLikePage<E> {
  entries: E[]
  total: number
}

/**
 * A journal read page by page, newest first: `load()` starts afresh, `load(true)` adds the page
 * older than the last row shown. `query` gets the seq to page before (undefined: a new query).
 */
export function usePagedQuery<E extends { seq: number }>(
  query: (beforeSeq: number | undefined) => Promise<JournalLikePage<E>>,
) {
  const entries = shallowRef<E[]>([])
  const total = ref(0)
  const loading = ref(false)
  const error = ref<string | null>(null)

  async function load(more = false): Promise<void> {
    const last = entries.value[entries.value.length - 1]
    loading.value = true
    try {
      const page = await query(more && last ? last.seq : undefined)
      entries.value = more ? [...entries.value, ...page.entries] : page.entries
      total.value = page.total
      error.value = null
    } catch (err) {
      if (!more) entries.value = []
      error.value = err instanceof Error ? err.message : String(err)
    } finally {
      loading.value = false
    }
  }

  return { entries, total, loading, error, load }
}
