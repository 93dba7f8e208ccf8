import type uPlot from 'uplot'
import type { Stretch } from './model-scores'
import { scoreYRange } from './model-scores'
import { TIME_INCRS, timeTickLabels } from './time-axis'
import { TREND_SYNC_KEY } from './trend-chart-options'

export interface ScoreChartColors {
  line: string
  axis: string
  grid: string
  threshold: string
  anomaly: string
  font: string
}

export interface ScoreChartSpec {
  width: number
  height: number
  colors: ScoreChartColors
  /** Read on every redraw, so the chart follows the props without being rebuilt. */
  view(): { from: number; to: number; threshold: number | null; stretches: readonly Stretch[] }
  onHover(point: { t: number; v: number | null } | null): void
  /** A span dragged out on the chart, in epoch ms. */
  onSelect(from: number, to: number): void
  /** A click (not a drag) on the chart: the moment to explain. */
  onPick(t: number): void
}

const NO_SELECTION = { left: 0, top: 0, width: 0, height: 0 }
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
  }
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

/** uPlot options for the anomaly score: the smoothed score, its threshold and flagged stretches. */
export function scoreChartOptions(spec: ScoreChartSpec): uPlot.Options {
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
    padding: [10, 18, 0, 0],
    cursor: {
      y: false,
      points: { show: false },
      drag: { x: true, y: false, setScale: false, dist: 6 },
      sync: {
        key: TREND_SYNC_KEY,
        scales: ['x', null],
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
      y: { range: (_u, _min, max) => scoreYRange(max, spec.view().threshold) },
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
        space: 24,
        size: (_u, values) => {
          const longest = Math.max(0, ...(values ?? []).map((v) => v.length))
          return Math.max(36, Math.ceil(longest * 6.6) + 16)
        },
      },
    ],
    hooks: {
      ready: [listenForPick(spec)],
      drawAxes: [drawMarks(spec)],
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
