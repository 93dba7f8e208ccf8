import type { StorageInfo } from '../contract'
import type { Db } from './open-database'
import type { RowCounts } from './row-counts'

const LEVELS = [
  { level: 'raw', table: 'samples', time: 't' },
  { level: '1m', table: 'rollup_1m', time: 'bucket' },
  { level: '1h', table: 'rollup_1h', time: 'bucket' },
] as const

/** Rows and time span per resolution, from the kept counts and one index probe per sensor. */
export function levelStats(
  db: Db,
  counts: RowCounts,
  sensorKeys: readonly number[],
): StorageInfo['levels'] {
  return LEVELS.map(({ level, table, time }) => {
    const first = db.prepare<[number], { t: number | null }>(
      `SELECT MIN(${time}) AS t FROM ${table} WHERE sensor = ?`,
    )
    const last = db.prepare<[number], { t: number | null }>(
      `SELECT MAX(${time}) AS t FROM ${table} WHERE sensor = ?`,
    )
    let oldest: number | null = null
    let newest: number | null = null
    for (const key of sensorKeys) {
      const a = first.get(key)?.t ?? null
      const b = last.get(key)?.t ?? null
      if (a !== null && (oldest === null || a < oldest)) oldest = a
      if (b !== null && (newest === null || b > newest)) newest = b
    }
    return { level, rows: counts.get(table), oldest, newest }
  })
}
