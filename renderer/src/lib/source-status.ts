import type { SourceConfig, SourceHealth, SourceStatus } from '@vigil/contract'

/** One row of the Sources list: a configured source, a running one, or both. */
export interface SourceRow {
  id: string
  name: string
  kind: string
  config: SourceConfig | null
  status: SourceStatus | null
  health: SourceHealth | null
}

/**
 * The configured sources in their order, then any source the host runs that is not in the
 * list (the demo plant), so every source that feeds the trends is shown.
 */
export function sourceRows(
  configs: readonly SourceConfig[],
  statuses: readonly SourceStatus[],
  health: Readonly<Record<string, SourceHealth>>,
): SourceRow[] {
  const byId = new Map(statuses.map((s) => [s.id, s]))
  const rows: SourceRow[] = configs.map((c) => ({
    id: c.id,
    name: c.name,
    kind: c.kind,
    config: c,
    status: byId.get(c.id) ?? null,
    health: health[c.id] ?? null,
  }))
  const known = new Set(configs.map((c) => c.id))
  for (const s of statuses) {
    if (known.has(s.id)) continue
    rows.push({ id: s.id, name: s.name, kind: s.kind, config: null, status: s, health: null })
  }
  return rows
}

/** Where a source reads from, in one line. */
export function connectionOf(config: SourceConfig | null): string {
  if (!config) return ''
  if (config.kind === 'file') return config.path
  const s = config.serial
  const frame = `${s.dataBits}${s.parity[0]?.toUpperCase() ?? 'N'}${s.stopBits}`
  return `${s.path} · ${s.baudRate} ${frame}`
}

export function channelCount(config: SourceConfig | null): number | null {
  if (!config) return null
  return config.kind === 'modbus-rtu' ? config.registers.length : config.channels.length
}

export function badInputTotal(health: SourceHealth | null): number {
  if (!health) return 0
  return Object.values(health.errorCounts).reduce((sum, n) => sum + n, 0)
}

/** Bad input by kind, most frequent first, leaving out kinds that never happened. */
export function badInputByKind(health: SourceHealth | null): { kind: string; count: number }[] {
  if (!health) return []
  return Object.entries(health.errorCounts)
    .filter(([, n]) => n > 0)
    .map(([kind, count]) => ({ kind, count }))
    .sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind))
}

/** The Modbus slaves of a source that do not answer, in id order. */
export function silentSlaves(status: SourceStatus | null): number[] {
  return (status?.slaves ?? []).filter((s) => !s.answering).map((s) => s.slaveId)
}

/** Whether a row has anything to show below it: an error, bad input, slaves, outages. */
export function hasDetail(row: SourceRow): boolean {
  const h = row.health
  return Boolean(
    row.status?.lastError ||
    badInputTotal(h) > 0 ||
    (h && (h.slaves.length > 0 || h.outages.length > 0)),
  )
}
