import type { CurvePoint, FileEval, Scores, SkabEval } from './skab-eval'

const num = (v: number, digits: number): string => (Number.isFinite(v) ? v.toFixed(digits) : '–')

const COLUMNS = [
  'file',
  'F1',
  'FAR %',
  'MAR %',
  'NAB std',
  'NAB lowFP',
  'NAB lowFN',
  'TP',
  'FP',
  'FN',
  'TN',
  'CP hit/miss/FP',
  'base F1',
]

function row(label: string, s: Scores, baseF1: number): string[] {
  return [
    label,
    num(s.f1, 3),
    num(s.far, 2),
    num(s.mar, 2),
    num(s.nabStandard, 2),
    num(s.nabLowFP, 2),
    num(s.nabLowFN, 2),
    String(s.confusion.tp),
    String(s.confusion.fp),
    String(s.confusion.fn),
    String(s.confusion.tn),
    `${s.nab.detected}/${s.nab.missed}/${s.nab.falsePositives}`,
    num(baseF1, 3),
  ]
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)))
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))))
    .map((r) => r.join('  '))
    .join('\n')
}

/**
 * The evaluation as a plain-text table: one line per file, the totals (counts summed over files,
 * then the rates), and the flag-every-test-row baseline scored by the same code.
 */
export function formatEval(e: SkabEval): string {
  const lines: string[][] = [COLUMNS]
  for (const f of e.files) lines.push(row(f.file, f, f.baseline.f1))
  lines.push(row('TOTAL', e.totals, e.baseline.f1))
  lines.push(row('baseline: all anomalous', e.baseline, e.baseline.f1))
  const out = [
    `SKAB, ${e.files.length} file(s), detector ${e.detector}: train on the first ${e.trainRows} rows of each file, test on the rest.`,
    'Point-wise F1 (no point adjustment); FAR and MAR in %; NAB over 60 s windows after each true change point.',
    '',
    table(lines),
    '',
    `Totals: F1 ${num(e.totals.f1, 3)}, FAR ${num(e.totals.far, 2)} %, MAR ${num(e.totals.mar, 2)} %, ` +
      `NAB standard ${num(e.totals.nabStandard, 2)}, low FP ${num(e.totals.nabLowFP, 2)}, ` +
      `low FN ${num(e.totals.nabLowFN, 2)} (baseline F1 ${num(e.baseline.f1, 3)}).`,
  ]
  if (e.curve.length) out.push('', ...curveLines(e.curve))
  for (const s of e.skipped) out.push(`Skipped ${s.name}: ${s.reason}.`)
  out.push(`Took ${(e.durationMs / 1000).toFixed(1)} s.`)
  return out.join('\n') + '\n'
}

const CURVE_COLUMNS = ['threshold', 'F1', 'FAR %', 'MAR %', 'NAB std', 'TP', 'FP', 'FN', 'TN']

/** The operating curve: the totals at each multiple of each file's calibrated threshold. */
function curveLines(curve: CurvePoint[]): string[] {
  const rows = curve.map((p) => [
    `${p.factor} x calibrated${p.factor === 1 ? ' *' : ''}`,
    num(p.scores.f1, 3),
    num(p.scores.far, 2),
    num(p.scores.mar, 2),
    num(p.scores.nabStandard, 2),
    String(p.scores.confusion.tp),
    String(p.scores.confusion.fp),
    String(p.scores.confusion.fn),
    String(p.scores.confusion.tn),
  ])
  return [
    'Operating curve (totals over the files; * the calibrated point, as above):',
    table([CURVE_COLUMNS, ...rows]),
  ]
}

function scoresJson(s: Scores): Record<string, unknown> {
  return {
    f1: s.f1,
    far: s.far,
    mar: s.mar,
    nabStandard: s.nabStandard,
    nabLowFP: s.nabLowFP,
    nabLowFN: s.nabLowFN,
    ...s.confusion,
    changePoints: {
      true: s.nab.windows,
      detected: s.nab.detected,
      missed: s.nab.missed,
      falsePositives: s.nab.falsePositives,
    },
  }
}

function fileJson(f: FileEval): Record<string, unknown> {
  return {
    file: f.file,
    trainRows: f.trainRows,
    testRows: f.testRows,
    anomalies: f.anomalies,
    ...scoresJson(f),
    baseline: scoresJson(f.baseline),
    info: f.info ?? null,
    curve: f.curve.map((p) => ({
      factor: p.factor,
      threshold: p.threshold,
      ...scoresJson(p.scores),
    })),
    durationMs: Math.round(f.durationMs),
  }
}

/**
 * The evaluation as JSON: `{ totals, baseline, curve, files, ... }`, F1 as a fraction, FAR and
 * MAR in percent; NaN (a rate with nothing to divide by) becomes null. `curve` holds the totals at
 * each multiple (`factor`) of the calibrated threshold; factor 1 equals `totals`.
 */
export function evalJson(e: SkabEval): Record<string, unknown> {
  return {
    benchmark: 'skab',
    detector: e.detector,
    trainRows: e.trainRows,
    totals: scoresJson(e.totals),
    baseline: scoresJson(e.baseline),
    curve: e.curve.map((p) => ({ factor: p.factor, ...scoresJson(p.scores) })),
    files: e.files.map(fileJson),
    skipped: e.skipped,
    durationMs: Math.round(e.durationMs),
  }
}
