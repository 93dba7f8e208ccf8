import type uPlot from 'uplot'
import { TIME_INCRS, timeTickLabels } from './time-axis'

/** The colours every time chart draws its line and axes in. */
export interface TimeChartColors {
  line: string
  axis: string
  grid: string
  font: string
}

export interface TimeChartSpec {
  width: number
  height: number
  colors: TimeChartColors
  /** Read on every redraw, so the chart follows the props without being rebuilt. */
  view(): { from: number; to: number }
  onHover(point: { t: number; v: number | null } | null): void
  /** A span dragged out on the chart, in epoch ms. */
  onSelect(from: number, to: number): void
}

/** What a chart adds to the shared time chart: its y range, its marks and its listeners. */
export interface TimeChartExtras {
  /** Pixels between y ticks at least. */
  ySpace: number
  yRange: uPlot.Range.Function
  /** Drawn under the data line. */
  drawAxes: ((u: uPlot) => void)[]
  ready?: ((u: uPlot) => void)[]
}

/** Every trend chart on a page shares its cursor with the others through this key. */
export const TREND_SYNC_KEY = 'vigil-trends'

const NO_SELECTION = { left: 0, top: 0, width: 0, height: 0 }

/**
 * uPlot options for one series over time: a time axis in ms, gaps kept, the cursor shared with
 * the other charts, and a drag that reports the span rather than zooming.
 */
export function timeChartOptions(spec: TimeChartSpec, extras: TimeChartExtras): uPlot.Options {
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
      y: { range: extras.yRange },
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
        space: extras.ySpace,
        size: (_u, values) => {
          const longest = Math.max(0, ...(values ?? []).map((v) => v.length))
          return Math.max(36, Math.ceil(longest * 6.6) + 16)
        },
      },
    ],
    hooks: {
      ...(extras.ready ? { ready: extras.ready } : {}),
      drawAxes: extras.drawAxes,
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
