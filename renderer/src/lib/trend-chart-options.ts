import type uPlot from 'uplot'
import type { SeriesBuffer } from './series-buffer'
import { TIME_INCRS, timeTickLabels } from './time-axis'

export interface TrendChartColors {
  line: string
  axis: string
  grid: string
  band: string
  bandEdge: string
  /** The model's expected value: a faint wide line beside the measured one. */
  expected?: string
  font: string
}

export interface TrendChartSpec {
  width: number
  height: number
  colors: TrendChartColors
  /** Read on every redraw, so the chart follows the props without being rebuilt. */
  view(): {
    from: number
    to: number
    normalMin: number | null
    normalMax: number | null
    /** What the active model expects this sensor to read, when it models it. */
    expected?: SeriesBuffer | null
  }
  onHover(point: { t: number; v: number | null } | null): void
  /** A span dragged out on the chart, in epoch ms. */
  onSelect(from: number, to: number): void
}

/** Every trend chart on a page shares its cursor with the others through this key. */
export const TREND_SYNC_KEY = 'vigil-trends'

const NO_SELECTION = { left: 0, top: 0, width: 0, height: 0 }

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
    const { ctx, bbox } = u
    ctx.save()
    ctx.beginPath()
    ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height)
    ctx.clip()
    ctx.strokeStyle = spec.colors.expected
    ctx.lineWidth = 5 * devicePixelRatio
    ctx.lineJoin = 'round'
    ctx.lineCap = 'round'
    ctx.beginPath()
    let pen = false
    let lastT = -Infinity
    for (let i = 0; i < buf.t.length; i++) {
      const v = buf.v[i]
      const t = buf.t[i]
      if (v === null || v === undefined || t - lastT > buf.gapMs) pen = false
      if (v === null || v === undefined) continue
      const x = u.valToPos(t, 'x', true)
      const y = u.valToPos(v, 'y', true)
      if (pen) ctx.lineTo(x, y)
      else ctx.moveTo(x, y)
      pen = true
      lastT = t
    }
    ctx.stroke()
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
    // Room on the right for the last tick's label, which is centred on its tick.
    padding: [10, 18, 0, 0],
    cursor: {
      y: false,
      points: { show: false },
      // The drag only selects; the store zooms every chart to the selection.
      drag: { x: true, y: false, setScale: false, dist: 6 },
      sync: {
        key: TREND_SYNC_KEY,
        scales: ['x', null],
        // The cursor follows on every chart; a drag stays on the chart it was made on.
        filters: { pub: (type) => type !== 'mousedown' && type !== 'mouseup' },
      },
    },
    select: { ...NO_SELECTION, show: true },
    scales: {
      x: {
        time: true,
        range: () => {
          const { from, to } = spec.view()
          return [from, to]
        },
      },
      y: {
        range: (_u, min, max) => {
          const { normalMin, normalMax, expected, from, to } = spec.view()
          if (!expected) return yRange(min, max, normalMin, normalMax)
          const [eMin, eMax] = expectedExtent(expected, from, to)
          const lo = min === null ? eMin : eMin === null ? min : Math.min(min, eMin)
          const hi = max === null ? eMax : eMax === null ? max : Math.max(max, eMax)
          return yRange(lo, hi, normalMin, normalMax)
        },
      },
    },
    series: [{}, { stroke: colors.line, width: 1.5, spanGaps: false, points: { show: false } }],
    axes: [
      {
        ...axisBase,
        space: 50,
        size: 28,
        incrs: TIME_INCRS,
        values: (_u, splits, _axis, _space, incr) => timeTickLabels(splits, incr),
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
      drawAxes: [drawNormalBand(spec), drawExpected(spec)],
      setSelect: [
        (u) => {
          const { left, width } = u.select
          if (width > 0) spec.onSelect(u.posToVal(left, 'x'), u.posToVal(left + width, 'x'))
          u.setSelect(NO_SELECTION, false)
        },
      ],
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
