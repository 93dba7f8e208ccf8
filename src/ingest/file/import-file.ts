import type { z } from 'zod'
import {
  VigilError,
  type importFileParamsSchema,
  type ImportResult,
  type SampleBatch,
  type Sensor,
} from '../../contract'
import type { Logger } from '../../log/logger'
import { LineSplitter } from '../lines/line-splitter'
import { errorCounts } from './channel-values'
import { explainFileError } from './file-errors'
import { openAllowedFile } from './file-access'
import { channelSensors } from '../channels'
import { FileLineReader } from './file-lines'

export type ImportFileParams = z.output<typeof importFileParamsSchema>

/** What an import writes to: the historian, or a fake in tests. */
export interface ImportTarget {
  registerSensors(sensors: readonly Sensor[]): void
  bulkInsert(batches: Iterable<SampleBatch>): number
}

export interface ImportFileDeps {
  /** The folders files may be read from (see `openAllowedFile`). */
  folders: readonly string[]
  log?: Logger
  /** Samples per batch handed to `bulkInsert`. */
  batchSize?: number
}

const BATCH_SAMPLES = 50_000
/** Larger files are refused: a year of 1 Hz, 100-channel CSV is well under this. */
export const MAX_IMPORT_BYTES = 8 * 1024 ** 3
/** An import that runs longer is stopped (what it stored so far stays, and is reported). */
export const MAX_IMPORT_MS = 60 * 60_000
/** Device time stamps looked at to estimate the sampling period. */
const PERIOD_ROWS = 50

/** The median gap between distinct successive time stamps; 1000 ms when there is none. */
export function estimatePeriodMs(times: readonly number[]): number {
  const gaps: number[] = []
  for (let i = 1; i < times.length; i++) {
    const gap = (times[i] ?? 0) - (times[i - 1] ?? 0)
    if (gap > 0) gaps.push(gap)
  }
  gaps.sort((a, b) => a - b)
  return gaps[Math.floor(gaps.length / 2)] ?? 1000
}

const emptyBatch = (): SampleBatch => ({ sensorIds: [], t: [], values: [] })

/**
 * Imports a history file once: streams it (any size, constant memory), skips `skipLines`,
 * parses every line with the format, scales and range-checks it by the channels, and hands
 * columnar batches of about 50,000 samples to `bulkInsert`. One sensor per channel is
 * registered first, its period estimated from the file's first time stamps. The format must
 * name the device's time stamp: imported history has no arrival time to fall back on.
 */
export async function importFile(
  params: ImportFileParams,
  target: ImportTarget,
  deps: ImportFileDeps,
): Promise<ImportResult> {
  const started = performance.now()
  if (!params.format.timestamp) {
    throw new VigilError(
      'INVALID_PARAMS',
      'An import needs the time stamp of each line: choose the column (or field) that holds it.',
    )
  }
  const batchSize = deps.batchSize ?? BATCH_SAMPLES
  const reader = new FileLineReader(params.format, params.channels)
  const firstTimes: number[] = []
  let registered = false
  let skip = params.skipLines
  let lines = 0
  let stored = 0
  let batch = emptyBatch()
  let full: SampleBatch[] = []

  const flush = () => {
    if (!registered) {
      const periodMs = estimatePeriodMs(firstTimes)
      target.registerSensors(channelSensors(params.sourceId, params.channels, periodMs))
      registered = true
    }
    if (full.length) stored += target.bulkInsert(full)
    full = []
  }
  const onLine = (line: string) => {
    if (skip > 0) {
      skip--
      return
    }
    if (line.trim() === '') return
    lines++
    const samples = reader.read(line, 0)
    const first = samples[0]
    if (first && firstTimes.length < PERIOD_ROWS && firstTimes.at(-1) !== first.t)
      firstTimes.push(first.t)
    for (const s of samples) {
      batch.sensorIds.push(s.sensorId)
      batch.t.push(s.t)
      batch.values.push(s.value)
    }
    if (batch.t.length >= batchSize) {
      full.push(batch)
      batch = emptyBatch()
    }
  }
  const splitter = new LineSplitter(params.format.maxLineLength, onLine, (start) => {
    if (skip > 0) {
      skip--
      return
    }
    lines++
    reader.errors.add('too-long', start)
  })

  const { handle, size } = await openAllowedFile(params.path, deps.folders)
  try {
    if (size > MAX_IMPORT_BYTES)
      throw new VigilError(
        'INVALID_PARAMS',
        `${params.path} is ${(size / 1024 ** 3).toFixed(1)} GB; files up to ${MAX_IMPORT_BYTES / 1024 ** 3} GB can be imported. Split it first.`,
      )
    // The stream's own buffer bounds memory; full batches are written between chunks.
    const stream = handle.createReadStream({ highWaterMark: 1 << 20, autoClose: false })
    for await (const chunk of stream) {
      splitter.push(chunk as Buffer)
      if (full.length) flush()
      if (performance.now() - started > MAX_IMPORT_MS)
        throw new VigilError(
          'NOT_AVAILABLE',
          `Importing ${params.path} took longer than ${MAX_IMPORT_MS / 60_000} minutes and was stopped after ${lines} lines (${stored} samples stored).`,
        )
    }
  } catch (err) {
    throw err instanceof VigilError ? err : explainFileError(err, params.path)
  } finally {
    await handle.close()
  }
  splitter.push('\n') // a last line without a newline
  if (batch.t.length) full.push(batch)
  flush()

  const result: ImportResult = {
    lines,
    stored,
    errorCounts: errorCounts(reader.errors, reader.values),
    durationMs: performance.now() - started,
  }
  deps.log?.info(
    `imported ${params.path}: ${lines} lines, ${stored} samples in ${Math.round(result.durationMs)} ms`,
  )
  return result
}
