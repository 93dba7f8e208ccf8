import type uPlot from 'uplot'
import { strokeBuffer } from './chart-overlay'
import type { SeriesBuffer } from './series-buffer'
import { timeChartOptions, type TimeChartColors, type TimeChartSpec } from './time-chart-options'

export { TREND_SYNC_KEY } from './time-chart-options'

export interface TrendChartColors extends TimeChartColors {
  band: string
  bandEdge: string
  /** The model's expected value: a faint wide line beside the measured one. */
  expected?: string
  /** Shaded spans (an anomaly event). */
  shade?: string
}

export interface TrendChartSpec extends TimeChartSpec {
  colors: TrendChartColors
  /** Read on every redraw, so the chart follows the props without being rebuilt. */
  view(): {
    from: number
    to: number
    normalMin: number | null
    normalMax: number | null
    /** What the active model expects this sensor to read, when it models it. */
    expected?: SeriesBuffer | null
    /** Spans to shade behind the data (an anomaly event), in epoch ms. */
    shaded?: readonly { from: number; to: number }[]
  }
}

/** The y range: the data and the normal range both in view, with some air. */
export function yRange(
  dataMin: number | null,
  dataMax: number | null,
  normalMin: number | null,
  normalMax: number | null,
): [number, number] {
  const values = [dataMin, dataMax, normalMin, normalMax].filter(
    (v): v is number => v !== null && Number.isFinite(v),
  )
  if (!values.length) return [0, 1]
  let lo = Math.min(...values)
  let hi = Math.max(...values)
  if (hi === lo) {
    const pad = Math.abs(lo) * 0.05 || 1
    lo -= pad
    hi += pad
  }
  const pad = (hi - lo) * 0.08
  return [lo - pad, hi + pad]
}

/** Shades the normal band and dashes its edges, under the data line. */
function drawNormalBand(spec: TrendChartSpec) {
  return (u: uPlot): void => {
    const { normalMin, normalMax } = spec.view()
    if (normalMin === null && normalMax === null) return
    const { ctx, bbox } = u
    const bottomEdge = bbox.top + bbox.height
    const clampY = (y: number) => Math.min(bottomEdge, Math.max(bbox.top, y))
    const top = normalMax === null ? bbox.top : clampY(u.valToPos(normalMax, 'y', true))
    const bottom = normalMin === null ? bottomEdge : clampY(u.valToPos(normalMin, 'y', true))
    ctx.save()
    ctx.fillStyle = spec.colors.band
    ctx.fillRect(bbox.left, top, bbox.width, bottom - top)
    ctx.strokeStyle = spec.colors.bandEdge
    ctx.lineWidth = 1
    ctx.setLineDash([4 * devicePixelRatio, 4 * devicePixelRatio])
    for (const y of [normalMax === null ? null : top, normalMin === null ? null : bottom]) {
      if (y === null || y <= bbox.top || y >= bottomEdge) continue
      ctx.beginPath()
      ctx.moveTo(bbox.left, Math.round(y) + 0.5)
      ctx.lineTo(bbox.left + bbox.width, Math.round(y) + 0.5)
      ctx.stroke()
    }
    ctx.restore()
  }
}

/** The lowest and highest expected value inside the view, or nulls when there is none. */
export function expectedExtent(
  buf: SeriesBuffer | null | undefined,
  from: number,
  to: number,
): [number | null, number | null] {
  let lo: number | null = null
  let hi: number | null = null
  if (!buf) return [lo, hi]
  for (let i = 0; i < buf.t.length; i++) {
    const v = buf.v[i]
    const t = buf.t[i]
    if (v === null || v === undefined || t < from || t > to) continue
    if (lo === null || v < lo) lo = v
    if (hi === null || v > hi) hi = v
  }
  return [lo, hi]
}

/** Draws the expected value as a faint wide line under the data line, broken at gaps. */
function drawExpected(spec: TrendChartSpec) {
  return (u: uPlot): void => {
    const buf = spec.view().expected
    if (!buf || !buf.t.length || !spec.colors.expected) return
    strokeBuffer(u, buf, { color: spec.colors.expected, width: 5, round: true })
  }
}

/** Shades the given spans over the whole plot height, under the data line. */
function drawShaded(spec: TrendChartSpec) {
  return (u: uPlot): void => {
    const spans = spec.view().shaded
    if (!spans?.length || !spec.colors.shade) return
    const { ctx, bbox } = u
    const left = bbox.left
    const right = bbox.left + bbox.width
    ctx.save()
    ctx.fillStyle = spec.colors.shade
    for (const s of spans) {
      const x0 = Math.max(left, u.valToPos(s.from, 'x', true))
      const x1 = Math.min(right, Math.max(u.valToPos(s.to, 'x', true), x0 + 2 * devicePixelRatio))
      if (x1 > left && x0 < right) ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height)
    }
    ctx.restore()
  }
}

/** uPlot options for one sensor's trend: a time axis in ms and one series with gaps kept. */
export function trendChartOptions(spec: TrendChartSpec): uPlot.Options {
  return timeChartOptions(spec, {
    ySpace: 28,
    yRange: (_u, min, max) => {
      const { normalMin, normalMax, expected, from, to } = spec.view()
      if (!expected) return yRange(min, max, normalMin, normalMax)
      const [eMin, eMax] = expectedExtent(expected, from, to)
      const lo = min === null ? eMin : eMin === null ? min : Math.min(min, eMin)
      const hi = max === null ? eMax : eMax === null ? max : Math.max(max, eMax)
      return yRange(lo, hi, normalMin, normalMax)
    },
    drawAxes: [drawShaded(spec), drawNormalBand(spec), drawExpected(spec)],
  })
}
