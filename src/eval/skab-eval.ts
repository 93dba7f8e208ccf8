import {
  addConfusion,
  addNabRaw,
  binaryScores,
  changePoints,
  confusion,
  emptyNabRaw,
  nabNormalised,
  nabRaw,
  type Confusion,
  type NabRaw,
} from './metrics'
import { sliceRows, type Matrix, type SkabFile, type SkippedFile } from './skab-files'

/** Predictions of the test part at another threshold: one point of the operating curve. */
export interface CurvePrediction {
  /** The threshold as a multiple of the calibrated one. */
  factor: number
  threshold: number
  predictions: Uint8Array
}

/** What a detector returns for the test part: one score and one 0/1 prediction per row. */
export interface DetectorOutput {
  scores: Float64Array
  predictions: Uint8Array
  /** The same detector at other thresholds (the same factors for every file), when it can. */
  curve?: CurvePrediction[]
  /** Anything worth reporting per file (threshold, method, epochs...). */
  info?: Record<string, number | string | boolean | null>
}

/** A detector under evaluation: fitted on the training rows only, then run on the test rows. */
export interface Detector {
  name: string
  fitPredict(train: Matrix, test: Matrix): Promise<DetectorOutput>
}

/** The metrics of one set of predictions (a file, or the sum over files). */
export interface Scores {
  confusion: Confusion
  /** Fraction. */
  f1: number
  /** Percent. */
  far: number
  /** Percent. */
  mar: number
  nabStandard: number
  nabLowFP: number
  nabLowFN: number
  nab: NabRaw
}

export interface FileEval extends Scores {
  file: string
  trainRows: number
  testRows: number
  /** Test rows labelled anomalous. */
  anomalies: number
  /** The trivial detector that flags every test row. */
  baseline: Scores
  info: DetectorOutput['info']
  /** The file's scores at each threshold of the operating curve. */
  curve: FileCurvePoint[]
  durationMs: number
}

export interface FileCurvePoint {
  factor: number
  threshold: number
  scores: Scores
}

/** One point of the operating curve summed over files. */
export interface CurvePoint {
  factor: number
  scores: Scores
}

export interface SkabEval {
  detector: string
  trainRows: number
  files: FileEval[]
  totals: Scores
  baseline: Scores
  /** F1, FAR and MAR at several thresholds (empty when the detector gives none). */
  curve: CurvePoint[]
  skipped: SkippedFile[]
  durationMs: number
}

/** The SKAB protocol: the first 400 rows of every file train, the rest test. */
export const SKAB_TRAIN_ROWS = 400

function scoresOf(c: Confusion, nab: NabRaw): Scores {
  const b = binaryScores(c)
  const n = nabNormalised(nab)
  return {
    confusion: c,
    ...b,
    nabStandard: n.standard,
    nabLowFP: n.lowFP,
    nabLowFN: n.lowFN,
    nab,
  }
}

/** Scores 0/1 predictions of a file's test rows (from `from` on) against its labels. */
export function scoreTestPart(file: SkabFile, from: number, predictions: Uint8Array): Scores {
  const anomaly = file.anomaly.subarray(from)
  const truth = file.changepoint.subarray(from)
  const t = file.t.subarray(from)
  return scoresOf(confusion(anomaly, predictions), nabRaw(t, truth, changePoints(predictions)))
}

/** Sums counts and raw NAB over files, then recomputes every rate (micro-average). */
export function sumScores(all: Scores[]): Scores {
  let c: Confusion = { tp: 0, fp: 0, fn: 0, tn: 0 }
  let nab = emptyNabRaw()
  for (const s of all) {
    c = addConfusion(c, s.confusion)
    nab = addNabRaw(nab, s.nab)
  }
  return scoresOf(c, nab)
}

function checkOutput(out: DetectorOutput, rows: number, file: string, name: string): void {
  if (out.predictions.length !== rows || out.scores.length !== rows) {
    throw new Error(
      `${name} returned ${out.predictions.length} predictions and ${out.scores.length} scores ` +
        `for the ${rows} test rows of ${file}`,
    )
  }
  for (const p of out.predictions) {
    if (p !== 0 && p !== 1) throw new Error(`${name} returned a prediction that is not 0 or 1`)
  }
  for (const point of out.curve ?? []) {
    if (point.predictions.length !== rows) {
      throw new Error(`${name} returned a curve point with the wrong length for ${file}`)
    }
  }
}

/** Sums each factor's scores over files; only factors every file has. */
function sumCurves(files: FileEval[]): CurvePoint[] {
  const first = files[0]?.curve ?? []
  return first
    .filter((p) => files.every((f) => f.curve.some((q) => q.factor === p.factor)))
    .map((p) => ({
      factor: p.factor,
      scores: sumScores(files.map((f) => f.curve.find((q) => q.factor === p.factor)!.scores)),
    }))
}

export interface EvalOptions {
  trainRows?: number
  /** Called after each file, e.g. for progress on stderr. */
  onFile?(done: number, total: number, result: FileEval): void
  skipped?: SkippedFile[]
}

/**
 * Runs `detector` on every file by the SKAB protocol (fit on the first `trainRows` rows, predict
 * the rest, labels never shown to it), scores each file and the sums over all files, and the
 * flag-everything baseline with the same code.
 */
export async function evaluateSkab(
  files: SkabFile[],
  detector: Detector,
  options: EvalOptions = {},
): Promise<SkabEval> {
  const trainRows = options.trainRows ?? SKAB_TRAIN_ROWS
  const started = performance.now()
  const results: FileEval[] = []
  for (const file of files) {
    if (file.data.rows <= trainRows) {
      throw new Error(
        `${file.name} has ${file.data.rows} rows: nothing left to test after ${trainRows}`,
      )
    }
    const t0 = performance.now()
    const train = sliceRows(file.data, 0, trainRows)
    const test = sliceRows(file.data, trainRows, file.data.rows)
    const out = await detector.fitPredict(train, test)
    checkOutput(out, test.rows, file.name, detector.name)
    let anomalies = 0
    for (let i = trainRows; i < file.data.rows; i++) anomalies += file.anomaly[i]!
    const result: FileEval = {
      file: file.name,
      trainRows,
      testRows: test.rows,
      anomalies,
      ...scoreTestPart(file, trainRows, out.predictions),
      baseline: scoreTestPart(file, trainRows, new Uint8Array(test.rows).fill(1)),
      info: out.info,
      curve: (out.curve ?? []).map((p) => ({
        factor: p.factor,
        threshold: p.threshold,
        scores: scoreTestPart(file, trainRows, p.predictions),
      })),
      durationMs: performance.now() - t0,
    }
    results.push(result)
    options.onFile?.(results.length, files.length, result)
  }
  return {
    detector: detector.name,
    trainRows,
    files: results,
    totals: sumScores(results),
    baseline: sumScores(results.map((r) => r.baseline)),
    curve: sumCurves(results),
    skipped: options.skipped ?? [],
    durationMs: performance.now() - started,
  }
}
