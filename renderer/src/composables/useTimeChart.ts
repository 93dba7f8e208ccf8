import uPlot from 'uplot'
import { onBeforeUnmount, onMounted, watch, type Ref } from 'vue'
import type { SeriesBuffer } from '../lib/series-buffer'

/** The props every time chart takes: the series and the time shown. */
export interface TimeChartProps {
  buffer: SeriesBuffer | undefined
  /** The time shown, in host time; while `live`, `to` follows the clock. */
  from: number
  to: number
  live: boolean
  /** Changes when new history lands, to draw it without waiting for the next tick. */
  dataVersion: number
}

/**
 * Mounts a uPlot chart in `host`, keeps it the size of its box and redraws it as the props move:
 * at most once per pixel's worth of time while live, at once for anything the user did, and
 * whenever `redrawOn` changes.
 */
export function useTimeChart(
  host: Ref<HTMLElement | undefined>,
  props: TimeChartProps,
  options: (el: HTMLElement) => uPlot.Options,
  redrawOn: () => unknown,
): void {
  let chart: uPlot | null = null
  let observer: ResizeObserver | null = null
  let lastDrawAt = 0

  function data(): uPlot.AlignedData {
    return props.buffer ? [props.buffer.t, props.buffer.v] : [[], []]
  }

  function draw(): void {
    if (!chart) return
    chart.setData(data())
    lastDrawAt = performance.now()
  }

  // Redrawing faster than the time one pixel covers changes nothing on screen, and a long
  // trend holds thousands of points per chart.
  function maybeDraw(): void {
    if (!chart) return
    const plotWidth = Math.max(1, chart.bbox.width / uPlot.pxRatio)
    const minInterval = Math.min(5_000, Math.max(200, (props.to - props.from) / plotWidth))
    if (performance.now() - lastDrawAt >= minInterval) draw()
  }

  onMounted(() => {
    const el = host.value
    if (!el) return
    chart = new uPlot(options(el), data(), el)
    lastDrawAt = performance.now()
    observer = new ResizeObserver(() => {
      if (chart && el.clientWidth > 0)
        chart.setSize({ width: el.clientWidth, height: el.clientHeight })
    })
    observer.observe(el)
  })

  // A live window creeps right with the clock; anything else is the user's doing: draw now.
  watch(
    () => props.to,
    () => (props.live ? maybeDraw() : draw()),
  )
  watch(
    [
      () => props.to - props.from,
      () => props.live,
      () => props.buffer,
      () => props.dataVersion,
      redrawOn,
    ],
    draw,
  )

  onBeforeUnmount(() => {
    observer?.disconnect()
    chart?.destroy()
    chart = null
  })
}
