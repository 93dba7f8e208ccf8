import { writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { evalJson, formatEval } from '../eval/format-eval'
import { evaluateSkab, type Detector } from '../eval/skab-eval'
import { loadSkabFolder } from '../eval/skab-files'
import type { EvalArgs } from './args'

export interface EvalIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
}

export interface EvalOverrides {
  /** A detector to use instead of the attention autoencoder (tests use a fast stub). */
  detector?: Detector
  io?: EvalIo
}

const processIo: EvalIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
}

async function attentionDetector(io: EvalIo, score: EvalArgs['score']): Promise<Detector> {
  // Loaded only here: TensorFlow.js is heavy, and the other commands never need it.
  const { selectBackend } = await import('../model/backend')
  const { ATTENTION_DETECTOR_SETTINGS, createAttentionDetector } =
    await import('../eval/attention-detector')
  const backend = await selectBackend('auto')
  io.stderr(`backend: ${backend}\n`)
  const { spec, training: t, detection: d } = ATTENTION_DETECTOR_SETTINGS
  // The benchmark's training options differ from the product's (400 rows per file); say so.
  io.stderr(
    `model: window ${spec.windowSize}, dModel ${spec.dModel}, ${spec.attention} ` +
      `(${spec.heads} heads); training for 400 rows: stride ${t.stride}, ${t.epochs} epochs, ` +
      `batch ${t.batchSize}, validation ${t.validationFraction}; detection (product ` +
      `defaults): false-alarm rate ${d.targetFalseAlarmRate}, smoothing ${d.smoothing}, ` +
      `min duration ${d.minDuration}; score: ${score}\n`,
  )
  return createAttentionDetector({ ...ATTENTION_DETECTOR_SETTINGS, score })
}

/**
 * `vigil eval skab DIR [--json FILE]`: runs the detector on every labelled SKAB file under DIR
 * by the SKAB protocol and prints the table; progress goes to stderr.
 */
export async function evaluate(args: EvalArgs, overrides: EvalOverrides = {}): Promise<void> {
  const io = overrides.io ?? processIo
  const dir = resolve(args.dir)
  const { files, skipped } = await loadSkabFolder(dir)
  for (const s of skipped) io.stderr(`skipping ${s.name}: ${s.reason}\n`)
  const detector = overrides.detector ?? (await attentionDetector(io, args.score))
  io.stderr(`${files.length} SKAB file(s) in ${dir}, detector ${detector.name}\n`)
  const result = await evaluateSkab(files, detector, {
    skipped,
    onFile: (done, total, r) =>
      io.stderr(
        `[${done}/${total}] ${r.file}: F1 ${r.f1.toFixed(3)}, FAR ${r.far.toFixed(1)} %, ` +
          `MAR ${r.mar.toFixed(1)} % (${(r.durationMs / 1000).toFixed(1)} s)\n`,
      ),
  })
  io.stdout(formatEval(result))
  if (args.json) {
    const file = resolve(args.json)
    await writeFile(file, JSON.stringify(evalJson(result), null, 2) + '\n')
    io.stderr(`JSON written to ${file}\n`)
  }
}
