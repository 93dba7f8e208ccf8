import { inject, provide, type InjectionKey } from 'vue'
import type { SourceForm } from '../lib/source-form'

/** What the parts of the source form share: the form being typed and its errors by path. */
export interface SourceFormContext {
  form: SourceForm
  errorOf(path: string): string | null
}

const KEY: InjectionKey<SourceFormContext> = Symbol('source-form')

export function provideSourceForm(context: SourceFormContext): void {
  provide(KEY, context)
}

/** The form of the enclosing `SourceEditor`. */
export function useSourceForm(): SourceFormContext {
  const context = inject(KEY)
  if (!context) throw new Error('useSourceForm() outside a SourceEditor')
  return context
}
