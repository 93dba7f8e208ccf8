import type { Series } from '@vigil/contract'
import { api } from '../api/client'

/** The contract caps one query at 64 sensors. */
const QUERY_CHUNK = 64

/** The history of many sensors over one span, asked for in as few calls as the contract allows. */
export async function queryHistory(
  ids: readonly string[],
  from: number,
  to: number,
  maxPoints: number,
): Promise<Series[]> {
  const chunks: string[][] = []
  for (let i = 0; i < ids.length; i += QUERY_CHUNK) chunks.push(ids.slice(i, i + QUERY_CHUNK))
  const results = await Promise.all(
    chunks.map((sensorIds) => api.querySeries({ sensorIds, from, to, maxPoints })),
  )
  return results.flatMap((r) => r.series)
}
