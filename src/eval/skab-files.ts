import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative, sep } from 'node:path'

import type { Matrix } from '../model/windows'

export type { Matrix }

/** One labelled SKAB file, parsed. */
export interface SkabFile {
  /** Path relative to the folder that was searched, with `/` separators (e.g. `valve1/0.csv`). */
  name: string
  /** Sample times, epoch ms (the file's local clock read as UTC; only differences matter). */
  t: Float64Array
  /** Sensor column names, in file order. */
  sensors: string[]
  data: Matrix
  /** 1 inside the labelled anomalous segment. */
  anomaly: Uint8Array
  /** 1 where a regime change starts. */
  changepoint: Uint8Array
}

/** A file that looks wrong; the message names the file and the line. */
export class SkabFormatError extends Error {}

/** A CSV that is SKAB-shaped but has no labels (such as `anomaly-free.csv`). */
export interface SkippedFile {
  name: string
  reason: string
}

export type ParsedSkab = { kind: 'labelled'; file: SkabFile } | { kind: 'unlabelled'; name: string }

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/

function parseDatetime(text: string): number {
  const m = DATETIME.exec(text)
  if (!m) return NaN
  const [, y, mo, d, h, mi, s, ms] = m
  return Date.UTC(+y!, +mo! - 1, +d!, +h!, +mi!, +s!, ms ? +ms.padEnd(3, '0') : 0)
}

function parseLabel(text: string, where: string, column: string): 0 | 1 {
  const v = Number(text)
  if (v === 0 || v === 1) return v
  throw new SkabFormatError(`${where}: "${column}" must be 0 or 1, found "${text}".`)
}

/**
 * Parses the text of one SKAB CSV: `;`-separated, a header starting with `datetime`, sensor
 * columns, then `anomaly;changepoint`. A header without the two label columns gives
 * `unlabelled`; anything else that is not SKAB-shaped throws SkabFormatError.
 */
export function parseSkabCsv(text: string, name: string): ParsedSkab {
  const lines = text.split(/\r?\n/)
  while (lines.length && lines[lines.length - 1]!.trim() === '') lines.pop()
  if (!lines.length) throw new SkabFormatError(`${name}: the file is empty.`)
  const header = lines[0]!.replace(/^\uFEFF/, '').split(';')
  if (header.length < 2 || header[0]!.trim() !== 'datetime') {
    throw new SkabFormatError(
      `${name}: not a SKAB file: the header must start with "datetime;" and use ";" separators.`,
    )
  }
  const labelled = header.at(-2)?.trim() === 'anomaly' && header.at(-1)?.trim() === 'changepoint'
  const sensors = header.slice(1, labelled ? -2 : undefined).map((s) => s.trim())
  if (!labelled) {
    if (header.some((h) => h.trim() === 'anomaly' || h.trim() === 'changepoint')) {
      throw new SkabFormatError(
        `${name}: not a SKAB file: "anomaly" and "changepoint" must be the last two columns.`,
      )
    }
    return { kind: 'unlabelled', name }
  }
  if (!sensors.length) throw new SkabFormatError(`${name}: no sensor columns.`)
  const rows = lines.length - 1
  if (rows < 1) throw new SkabFormatError(`${name}: the header is not followed by any data.`)
  const cols = sensors.length
  const t = new Float64Array(rows)
  const values = new Float32Array(rows * cols)
  const anomaly = new Uint8Array(rows)
  const changepoint = new Uint8Array(rows)
  for (let r = 0; r < rows; r++) {
    const where = `${name} line ${r + 2}`
    const cells = lines[r + 1]!.split(';')
    if (cells.length !== header.length) {
      throw new SkabFormatError(
        `${where}: expected ${header.length} fields separated by ";", found ${cells.length}.`,
      )
    }
    const time = parseDatetime(cells[0]!.trim())
    if (Number.isNaN(time)) {
      throw new SkabFormatError(
        `${where}: "${cells[0]}" is not a date and time like 2020-03-09 10:14:33.`,
      )
    }
    if (r > 0 && time < t[r - 1]!) throw new SkabFormatError(`${where}: time goes backwards.`)
    t[r] = time
    for (let c = 0; c < cols; c++) {
      const cell = cells[c + 1]!.trim()
      const v = cell === '' ? NaN : Number(cell)
      if (cell !== '' && !Number.isFinite(v)) {
        throw new SkabFormatError(`${where}: "${sensors[c]}" is not a number: "${cell}".`)
      }
      values[r * cols + c] = v
    }
    anomaly[r] = parseLabel(cells[cols + 1]!.trim(), where, 'anomaly')
    changepoint[r] = parseLabel(cells[cols + 2]!.trim(), where, 'changepoint')
  }
  return {
    kind: 'labelled',
    file: { name, t, sensors, data: { rows, cols, values }, anomaly, changepoint },
  }
}

/** Natural order, so that `valve1/2.csv` comes before `valve1/10.csv`. */
const naturalOrder = new Intl.Collator('en', { numeric: true }).compare

async function listCsv(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name)
    if (entry.isDirectory()) out.push(...(await listCsv(full)))
    else if (entry.isFile() && entry.name.toLowerCase().endsWith('.csv')) out.push(full)
  }
  return out
}

/**
 * Finds every `.csv` under `dir` (recursively), parses it, and returns the labelled SKAB files
 * in natural order plus the unlabelled ones that were skipped. Throws a plain-worded error for a
 * missing folder, a malformed file, or a folder with no labelled SKAB file in it.
 */
export async function loadSkabFolder(
  dir: string,
): Promise<{ files: SkabFile[]; skipped: SkippedFile[] }> {
  let info
  try {
    info = await stat(dir)
  } catch {
    throw new Error(`No such folder: ${dir}`)
  }
  if (!info.isDirectory()) throw new Error(`Not a folder: ${dir}`)
  const paths = (await listCsv(dir))
    .map((p) => ({ p, name: relative(dir, p).split(sep).join('/') }))
    .sort((a, b) => naturalOrder(a.name, b.name))
  const files: SkabFile[] = []
  const skipped: SkippedFile[] = []
  for (const { p, name } of paths) {
    const parsed = parseSkabCsv(await readFile(p, 'utf8'), name)
    if (parsed.kind === 'labelled') files.push(parsed.file)
    else skipped.push({ name, reason: 'no "anomaly"/"changepoint" columns (unlabelled)' })
  }
  if (!files.length) {
    throw new Error(
      paths.length
        ? `No labelled SKAB files in ${dir} (${paths.length} CSV file(s) without labels).`
        : `No SKAB files (*.csv) in ${dir}.`,
    )
  }
  return { files, skipped }
}

/** Rows [from, to) of a matrix, sharing no memory with it. */
export function sliceRows(m: Matrix, from: number, to: number): Matrix {
  const a = Math.max(0, Math.min(from, m.rows))
  const b = Math.max(a, Math.min(to, m.rows))
  return { rows: b - a, cols: m.cols, values: m.values.slice(a * m.cols, b * m.cols) }
}
