import { createWriteStream, statSync } from 'node:fs'
import { once } from 'node:events'
import { join } from 'node:path'
import { channelSchema, lineFormatSchema } from '../src/contract'
import { Historian } from '../src/historian/historian'
import { importFile } from '../src/ingest/file/import-file'
import { makeTempDir } from '../test/helpers/temp-dir'
import { report } from './report'

const CHANNELS = 16
const ROWS = 200_000
const T0 = Date.UTC(2026, 0, 1)

/** A CSV like a data logger's export: epoch-ms time stamp, then one column per channel. */
async function writeCsv(path: string): Promise<void> {
  const out = createWriteStream(path)
  const header = ['t', ...Array.from({ length: CHANNELS }, (_, i) => `c${i}`)].join(',')
  let chunk = `${header}\n`
  for (let r = 0; r < ROWS; r++) {
    const cells = [String(T0 + r * 1000)]
    for (let c = 0; c < CHANNELS; c++) cells.push((Math.sin(r / 60 + c) * 10 + c).toFixed(4))
    chunk += `${cells.join(',')}\n`
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain')
      chunk = ''
    }
  }
  out.end(chunk)
  await once(out, 'finish')
}

/**
 * A large CSV imported into a fresh historian: parse, scale, range check, batch and store,
 * rollups included. Prints samples per second end to end (target: at least 200,000).
 */
export async function benchIngestFile(context: Record<string, unknown>): Promise<void> {
  const tmp = makeTempDir('vigil-bench-file-')
  try {
    const path = join(tmp.dir, 'export.csv')
    await writeCsv(path)
    const channels = Array.from({ length: CHANNELS }, (_, i) =>
      channelSchema.parse({ id: `file.c${i}`, name: `c${i}`, expectedMin: -100, expectedMax: 100 }),
    )
    const format = lineFormatSchema.parse({
      kind: 'csv',
      timestamp: { index: 0, format: 'epoch-ms' },
      columns: channels.map((c, i) => ({ index: i + 1, sensorId: c.id })),
    })
    const historian = new Historian(join(tmp.dir, 'vigil'), { now: () => T0 + ROWS * 1000 })
    try {
      const result = await importFile(
        { path, sourceId: 'bench', format, channels, skipLines: 1 },
        historian,
        { folders: [tmp.dir] },
      )
      report('ingest.file.samples_per_s', result.stored / (result.durationMs / 1000), 'samples/s', {
        ...context,
        channels: CHANNELS,
        rows: ROWS,
        stored: result.stored,
        fileBytes: statSync(path).size,
        durationMs: Math.round(result.durationMs),
        errors: result.errorCounts,
        note: 'parse + scale + range check + historian bulkInsert with rollups',
      })
    } finally {
      historian.close()
    }
  } finally {
    tmp.remove()
  }
}
