import type uPlot from 'uplot'
import { strokeBuffer } from './chart-overlay'
import type { Stretch } from './model-scores'
import { scoreYRange } from './model-scores'
import type { SeriesBuffer } from './series-buffer'
import { timeChartOptions, type TimeChartColors, type TimeChartSpec } from './time-chart-options'

export interface ScoreChartColors extends TimeChartColors {
  threshold: string
  anomaly: string
  raw: string
}

export interface ScoreChartSpec extends TimeChartSpec {
  colors: ScoreChartColors
  /** Read on every redraw, so the chart follows the props without being rebuilt. */
  view(): {
    from: number
    to: number
    threshold: number | null
    stretches: readonly Stretch[]
    /** The raw score, drawn faintly under the adapted one (clipped to the plot). */
    raw: SeriesBuffer | null
  }
  /** A click (not a drag) on the chart: the moment to explain. */
  onPick(t: number): void
}

/** Further than this between press and release, in CSS pixels, is a drag rather than a click. */
const CLICK_SLOP_PX = 4

/** Shades the flagged stretches and draws the threshold, under the score line. */
function drawMarks(spec: ScoreChartSpec) {
  return (u: uPlot): void => {
    const { threshold, stretches } = spec.view()
    const { ctx, bbox } = u
    ctx.save()
    ctx.fillStyle = spec.colors.anomaly
    const left = bbox.left
    const right = bbox.left + bbox.width
    for (const s of stretches) {
      const x0 = Math.max(left, u.valToPos(s.from, 'x', true))
      // A single flagged sample still gets a visible mark.
      const x1 = Math.min(right, Math.max(u.valToPos(s.to, 'x', true), x0 + 2 * devicePixelRatio))
      if (x1 > left && x0 < right) ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height)
    }
    if (threshold !== null && Number.isFinite(threshold)) {
      const y = Math.round(u.valToPos(threshold, 'y', true)) + 0.5
      if (y >= bbox.top && y <= bbox.top + bbox.height) {
        ctx.strokeStyle = spec.colors.threshold
        ctx.lineWidth = 1.5 * devicePixelRatio
        ctx.setLineDash([6 * devicePixelRatio, 4 * devicePixelRatio])
        ctx.beginPath()
        ctx.moveTo(left, y)
        ctx.lineTo(right, y)
        ctx.stroke()
      }
    }
    ctx.restore()
    if (spec.view().raw) drawRaw(u, spec)
  }
}

/**
 * The raw score as a dotted line (the threshold is the dashed one), clipped to the plot: it may
 * run far above the adapted one.
 */
function drawRaw(u: uPlot, spec: ScoreChartSpec): void {
  const raw = spec.view().raw
  if (raw) strokeBuffer(u, raw, { color: spec.colors.raw, width: 1.5, dash: [1, 3] })
}

/** Tells a click from a drag on the plot, and reports the clicked time. */
function listenForPick(spec: ScoreChartSpec) {
  return (u: uPlot): void => {
    let downX: number | null = null
    u.over.addEventListener('mousedown', (e) => (downX = e.clientX))
    u.over.addEventListener('mouseup', (e) => {
      if (downX === null || Math.abs(e.clientX - downX) > CLICK_SLOP_PX) return
      downX = null
      const left = u.cursor.left
      if (left !== undefined && left >= 0) spec.onPick(Math.round(u.posToVal(left, 'x')))
    })
  }
}

/**
 * uPlot options for the anomaly score: the smoothed score, its threshold and flagged stretches,
 * and the raw score when the model follows drift.
 */
export function scoreChartOptions(spec: ScoreChartSpec): uPlot.Options {
  return timeChartOptions(spec, {
    ySpace: 24,
    yRange: (_u, _min, max) => scoreYRange(max, spec.view().threshold),
    drawAxes: [drawMarks(spec)],
    ready: [listenForPick(spec)],
  })
}
