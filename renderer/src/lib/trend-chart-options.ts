import type uPlot from 'uplot'
import { formatTime } from './format'

export interface TrendChartColors {
  line: string
  axis: string
  grid: string
  band: string
  bandEdge: string
  font: string
}

export interface TrendChartSpec {
  width: number
  height: number
  colors: TrendChartColors
  /** Read on every redraw, so the chart follows the props without being rebuilt. */
  view(): { end: number; rangeMs: number; normalMin: number | null; normalMax: number | null }
  onHover(point: { t: number; v: number | null } | null): void
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

const S = 1000
const M = 60 * S
const H = 60 * M
/** Tick steps for the time axis; uPlot's own list jumps from 1 to 5 minutes. */
const TIME_INCRS = [
  ...[1, 2, 5, 10, 15, 30].map((n) => n * S),
  ...[1, 2, 5, 10, 15, 30].map((n) => n * M),
  ...[1, 2, 3, 4, 6, 12, 24].map((n) => n * H),
]

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

/** uPlot options for one sensor's trend: a time axis in ms and one series with gaps kept. */
export function trendChartOptions(spec: TrendChartSpec): uPlot.Options {
  const { colors } = spec
  const axisBase = {
    stroke: colors.axis,
    font: colors.font,
    grid: { stroke: colors.grid, width: 1 },
    ticks: { stroke: colors.grid, width: 1, size: 4 },
  }
  return {
    width: spec.width,
    height: spec.height,
    ms: 1,
    legend: { show: false },
    padding: [10, 10, 0, 0],
    cursor: {
      y: false,
      points: { show: false },
      drag: { x: false, y: false, setScale: false },
    },
    scales: {
      x: {
        time: true,
        range: () => {
          const { end, rangeMs } = spec.view()
          return [end - rangeMs, end]
        },
      },
      y: {
        range: (_u, min, max) => {
          const { normalMin, normalMax } = spec.view()
          return yRange(min, max, normalMin, normalMax)
        },
      },
    },
    series: [{}, { stroke: colors.line, width: 1.5, spanGaps: false, points: { show: false } }],
    axes: [
      {
        ...axisBase,
        space: 58,
        size: 28,
        incrs: TIME_INCRS,
        // Whole-minute ticks read better without seconds; plant time is always 24-hour.
        values: (_u, splits) => {
          const seconds = splits.some((s) => s % 60_000 !== 0)
          return splits.map((s) => formatTime(s, seconds))
        },
      },
      {
        ...axisBase,
        space: 28,
        size: (_u, values) => {
          const longest = Math.max(0, ...(values ?? []).map((v) => v.length))
          return Math.max(36, Math.ceil(longest * 6.6) + 16)
        },
      },
    ],
    hooks: {
      drawAxes: [drawNormalBand(spec)],
      setCursor: [
        (u) => {
          const idx = u.cursor.idx
          if (idx === null || idx === undefined) return spec.onHover(null)
          const t = u.data[0][idx]
          const v = u.data[1][idx]
          spec.onHover(t === undefined ? null : { t, v: v ?? null })
        },
      ],
    },
  }
}
