import { beforeAll, describe, expect, it } from 'vitest'
import {
  ATTENTION_DETECTOR_SETTINGS,
  createAttentionDetector,
  type AttentionDetectorSettings,
} from '../../../../src/eval/attention-detector'
import { evaluateSkab } from '../../../../src/eval/skab-eval'
import { parseSkabCsv, type SkabFile } from '../../../../src/eval/skab-files'
import { selectBackend } from '../../../../src/model/backend'
import { skabCsv } from './skab-fixture'

// Tiny settings so the real model trains in a few seconds on the plain JavaScript backend.
const tiny = (score: AttentionDetectorSettings['score']): AttentionDetectorSettings => ({
  ...ATTENTION_DETECTOR_SETTINGS,
  spec: { windowSize: 8, dModel: 8, attention: 'dot', heads: 1 },
  training: { ...ATTENTION_DETECTOR_SETTINGS.training, epochs: 2, batchSize: 32 },
  score,
})

function file(): SkabFile {
  const p = parseSkabCsv(skabCsv({ rows: 520, anomaly: [440, 500], shift: 4 }), 'f.csv')
  if (p.kind !== 'labelled') throw new Error('expected labels')
  return p.file
}

describe('attention-autoencoder detector', () => {
  beforeAll(async () => {
    await selectBackend('cpu')
  })

  for (const score of ['model', 'second-sensor'] as const) {
    it(`trains on the training rows only and flags a strong shift (${score} score)`, async () => {
      const e = await evaluateSkab([file()], createAttentionDetector(tiny(score)))
      const f = e.files[0]!
      expect(f.testRows).toBe(120)
      expect(f.info).toMatchObject({ score, method: 'exponential' })
      expect(Number(f.info!.threshold)).toBeGreaterThan(0)
      // The shift of 4 (≈ 30 robust standard deviations) must be caught almost entirely.
      expect(f.mar).toBeLessThan(20)
      expect(f.confusion.tp + f.confusion.fn).toBe(60)
      // The live scorer's pipeline: adapted for the model's score; the curve around the point.
      expect(f.info).toMatchObject({ adaptive: score === 'model' })
      expect(e.curve.map((p) => p.factor)).toEqual([0.5, 0.75, 1, 1.25, 1.5, 2, 3])
      expect(e.curve[2]!.scores).toEqual(e.totals)
      expect(e.curve[6]!.scores.far).toBeLessThanOrEqual(e.curve[0]!.scores.far)
    })
  }
})
