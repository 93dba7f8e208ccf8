import type { LossPoint, TrainingProgress } from '@vigil/contract'
import { formatDuration, type DurationUnit } from './format'

type TrainingState = TrainingProgress['state']

/** A run that has not ended yet: Cancel applies, the form waits. */
export const isRunning = (state: TrainingState): boolean =>
  state === 'preparing' || state === 'training' || state === 'calibrating'

/**
 * How far a run is, 0–1: whole epochs done plus the share of the current one. `epoch` counts
 * from 1 while an epoch runs; a finished run is full whatever the counters say.
 */
export function progressFraction(p: TrainingProgress): number {
  if (p.state === 'done' || p.state === 'calibrating') return 1
  if (p.epochs <= 0) return 0
  const inEpoch = p.batches > 0 ? Math.min(1, p.batch / p.batches) : 0
  const done = Math.max(0, p.epoch - 1) + inEpoch
  return Math.min(1, Math.max(0, done / p.epochs))
}

/** The time left, worded ("2 min 10 s"); a dash until the host can estimate it. */
export function formatEta(
  etaMs: number | null,
  label: (unit: DurationUnit, n: number) => string,
): string {
  if (etaMs === null || !Number.isFinite(etaMs) || etaMs < 0) return '—'
  // Under a second the estimate is noise: say one second rather than "350 ms".
  return formatDuration(Math.max(1000, etaMs), label)
}

/** A loss worded with four significant digits, which tells one epoch from the next. */
export function formatLoss(loss: number | null, locale: string): string {
  if (loss === null || !Number.isFinite(loss)) return '—'
  return new Intl.NumberFormat(locale, { maximumSignificantDigits: 4 }).format(loss)
}

export interface LossCurve {
  /** SVG path data of the training and validation loss, in a `width`×`height` box. */
  loss: string
  valLoss: string
  /** The value range shown; `log` when the losses span more than a decade. */
  min: number
  max: number
  log: boolean
  /** The last epoch on the x axis: the planned ones, or more if the run went on. */
  epochs: number
}

/**
 * The loss curve of a run: epochs across, loss up, on a log scale once the loss has fallen by
 * more than ten times (the usual shape), so the later epochs are not a flat line on the floor.
 */
export function lossCurve(
  history: readonly LossPoint[],
  epochs: number,
  width: number,
  height: number,
): LossCurve {
  const values = history
    .flatMap((p) => [p.loss, p.valLoss])
    .filter((v): v is number => v !== null && Number.isFinite(v) && v > 0)
  const lastEpoch = Math.max(epochs, ...history.map((p) => p.epoch), 2)
  if (!values.length)
    return { loss: '', valLoss: '', min: 0, max: 1, log: false, epochs: lastEpoch }
  let min = Math.min(...values)
  let max = Math.max(...values)
  const log = max / min > 10
  if (!log) min = 0
  if (max === min) max = min + 1
  const f = log ? Math.log10 : (v: number) => v
  const y = (v: number) => height - ((f(v) - f(min)) / (f(max) - f(min))) * height
  const x = (epoch: number) => ((epoch - 1) / (lastEpoch - 1)) * width
  const path = (pick: (p: LossPoint) => number | null): string => {
    let d = ''
    let pen = 'M'
    for (const p of history) {
      const v = pick(p)
      if (v === null || !Number.isFinite(v) || v <= 0) {
        pen = 'M'
        continue
      }
      d += `${pen}${round(x(p.epoch))},${round(y(v))}`
      pen = 'L'
    }
    return d
  }
  return {
    loss: path((p) => p.loss),
    valLoss: path((p) => p.valLoss),
    min,
    max,
    log,
    epochs: lastEpoch,
  }
}

const round = (n: number) => Math.round(n * 10) / 10
