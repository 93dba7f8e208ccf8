import type uPlot from 'uplot'
import type { SeriesBuffer } from './series-buffer'

/** How an overlay line is drawn; widths and dashes in CSS pixels. */
export interface OverlayStyle {
  color: string
  width: number
  dash?: number[]
  /** Round joins and caps (a wide, soft line). */
  round?: boolean
}

/**
 * Draws a buffer as a line over the plot area, clipped to it, broken at missing values and at
 * steps longer than the buffer's gap: for lines that are not the chart's own series.
 */
export function strokeBuffer(u: uPlot, buf: SeriesBuffer, style: OverlayStyle): void {
  const { ctx, bbox } = u
  const px = devicePixelRatio
  ctx.save()
  ctx.beginPath()
  ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height)
  ctx.clip()
  ctx.strokeStyle = style.color
  ctx.lineWidth = style.width * px
  if (style.round) {
    ctx.lineJoin = 'round'
    ctx.lineCap = 'round'
  }
  if (style.dash) ctx.setLineDash(style.dash.map((d) => d * px))
  ctx.beginPath()
  let pen = false
  let lastT = -Infinity
  for (let i = 0; i < buf.t.length; i++) {
    const v = buf.v[i]
    const t = buf.t[i]!
    if (v === null || v === undefined || !Number.isFinite(v) || t - lastT > buf.gapMs) pen = false
    if (v === null || v === undefined || !Number.isFinite(v)) continue
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
