import { describe, expect, it } from 'vitest'
import { MIN_ZOOM_MS, panSpan, reachesNow, zoomSpan } from '../../../renderer/src/lib/zoom'

const NOW = 1_000_000_000

describe('zoom span', () => {
  it('takes the dragged span in either direction', () => {
    expect(zoomSpan(NOW - 1000_000, NOW - 400_000, NOW)).toEqual({
      from: NOW - 1000_000,
      to: NOW - 400_000,
    })
    expect(zoomSpan(NOW - 400_000, NOW - 1000_000, NOW)).toEqual({
      from: NOW - 1000_000,
      to: NOW - 400_000,
    })
  })

  it('widens a tiny drag around its middle', () => {
    const span = zoomSpan(NOW - 100_000, NOW - 99_000, NOW)
    expect(span.to - span.from).toBe(MIN_ZOOM_MS)
    expect((span.from + span.to) / 2).toBe(NOW - 99_500)
  })

  it('does not reach into the future', () => {
    expect(zoomSpan(NOW - 60_000, NOW + 60_000, NOW)).toEqual({
      from: NOW - 120_000,
      to: NOW,
    })
  })
})

describe('panning', () => {
  const span = { from: NOW - 400_000, to: NOW - 200_000 }

  it('moves half a window each way', () => {
    expect(panSpan(span, -1, NOW)).toEqual({ from: NOW - 500_000, to: NOW - 300_000 })
    expect(panSpan(span, 1, NOW)).toEqual({ from: NOW - 300_000, to: NOW - 100_000 })
  })

  it('stops at now, keeping the width', () => {
    const later = panSpan(panSpan(span, 1, NOW), 1, NOW)
    expect(later).toEqual({ from: NOW - 200_000, to: NOW })
    expect(reachesNow(later, NOW)).toBe(true)
    expect(reachesNow(span, NOW)).toBe(false)
  })
})
