import { describe, expect, it } from 'vitest'
import type { TrainingProgress } from '@vigil/contract'
import {
  formatEta,
  formatLoss,
  isRunning,
  lossCurve,
  progressFraction,
} from '../../../renderer/src/lib/model-progress'

const progress = (over: Partial<TrainingProgress>): TrainingProgress => ({
  jobId: 'j1',
  name: 'm',
  state: 'training',
  startedAt: 0,
  epoch: 1,
  epochs: 4,
  batch: 0,
  batches: 10,
  loss: null,
  valLoss: null,
  etaMs: null,
  history: [],
  windows: 100,
  error: null,
  modelId: null,
  ...over,
})

const label = (unit: string, n: number) => `${n} ${unit}`

describe('training progress', () => {
  it('counts whole epochs and the share of the current one', () => {
    expect(progressFraction(progress({ epoch: 1, batch: 0 }))).toBe(0)
    expect(progressFraction(progress({ epoch: 1, batch: 5 }))).toBe(0.125)
    expect(progressFraction(progress({ epoch: 3, batch: 10 }))).toBe(0.75)
    expect(progressFraction(progress({ state: 'preparing', epoch: 0, batches: 0 }))).toBe(0)
    expect(progressFraction(progress({ state: 'done', epoch: 2 }))).toBe(1)
    expect(progressFraction(progress({ epochs: 0 }))).toBe(0)
  })

  it('knows which states are still running', () => {
    expect(['preparing', 'training', 'calibrating'].every((s) => isRunning(s as never))).toBe(true)
    expect(['done', 'failed', 'cancelled'].some((s) => isRunning(s as never))).toBe(false)
  })

  it('words the time left, a dash until it is known', () => {
    expect(formatEta(null, label)).toBe('—')
    expect(formatEta(-5, label)).toBe('—')
    expect(formatEta(130_000, label)).toBe('2 min 10 s')
    expect(formatEta(300, label)).toBe('1 s')
  })

  it('words a loss with four significant digits', () => {
    expect(formatLoss(0.0123456, 'en')).toBe('0.01235')
    expect(formatLoss(null, 'en')).toBe('—')
  })
})

describe('loss curve', () => {
  it('draws both losses across the planned epochs, on a linear scale from 0', () => {
    const c = lossCurve(
      [
        { epoch: 1, loss: 2, valLoss: 2.5 },
        { epoch: 2, loss: 1, valLoss: null },
        { epoch: 3, loss: 0.5, valLoss: 1 },
      ],
      5,
      100,
      50,
    )
    expect(c.log).toBe(false)
    expect(c.min).toBe(0)
    expect(c.max).toBe(2.5)
    expect(c.epochs).toBe(5)
    expect(c.loss).toBe('M0,10L25,30L50,40')
    // A missing validation loss breaks its line.
    expect(c.valLoss).toBe('M0,0M50,30')
  })

  it('goes logarithmic once the loss has fallen more than tenfold', () => {
    const c = lossCurve(
      [
        { epoch: 1, loss: 100, valLoss: null },
        { epoch: 2, loss: 10, valLoss: null },
        { epoch: 3, loss: 1, valLoss: null },
      ],
      3,
      100,
      100,
    )
    expect(c.log).toBe(true)
    expect(c.loss).toBe('M0,0L50,50L100,100')
  })

  it('is empty before the first epoch', () => {
    expect(lossCurve([], 10, 100, 50)).toMatchObject({ loss: '', valLoss: '' })
  })
})
