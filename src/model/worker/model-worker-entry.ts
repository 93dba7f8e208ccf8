// The model worker thread: loads TensorFlow.js (native, else WebAssembly, else JavaScript), then
// trains and scores on request. Started by ModelWorkerClient; never imported by the main thread.
import { parentPort } from 'node:worker_threads'
import { selectBackend } from '../backend'
import { parseModelArtifact } from '../model-artifact'
import { trainModel, TrainingCancelled, TrainingDataError } from '../train-model'
import { WindowScorer } from '../window-scorer'
import type { FromWorker, ToWorker } from './protocol'

const port = parentPort
if (!port) throw new Error('model-worker-entry runs in a worker thread only')

const send = (msg: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer)
const scorers = new Map<number, WindowScorer>()
const cancels = new Map<string, AbortController>()
const message = (err: unknown) => (err instanceof Error ? err.message : String(err))

async function handle(msg: ToWorker): Promise<void> {
  switch (msg.type) {
    case 'train': {
      const abort = new AbortController()
      cancels.set(msg.jobId, abort)
      try {
        const result = await trainModel(
          { matrix: msg.matrix, spec: msg.spec, options: msg.options },
          {
            signal: abort.signal,
            onProgress: (progress) => send({ type: 'progress', jobId: msg.jobId, progress }),
            onEpoch: (point) => send({ type: 'epoch', jobId: msg.jobId, point }),
          },
        )
        send({ type: 'trained', jobId: msg.jobId, result })
      } catch (err) {
        const reason =
          err instanceof TrainingCancelled
            ? 'cancelled'
            : err instanceof TrainingDataError
              ? 'data'
              : 'error'
        send({ type: 'train-failed', jobId: msg.jobId, reason, message: message(err) })
      } finally {
        cancels.delete(msg.jobId)
      }
      return
    }
    case 'cancel':
      cancels.get(msg.jobId)?.abort()
      return
    case 'load': {
      try {
        scorers.get(msg.key)?.dispose()
        scorers.set(msg.key, await WindowScorer.load(parseModelArtifact(msg.artifact)))
        send({ type: 'result', reqId: msg.reqId, value: null })
      } catch (err) {
        send({ type: 'error', reqId: msg.reqId, message: message(err) })
      }
      return
    }
    case 'unload':
      scorers.get(msg.key)?.dispose()
      scorers.delete(msg.key)
      return
    case 'score':
    case 'explain': {
      const scorer = scorers.get(msg.key)
      if (!scorer) {
        send({ type: 'error', reqId: msg.reqId, message: `model ${msg.key} is not loaded` })
        return
      }
      try {
        if (msg.type === 'score') {
          const value = scorer.score(msg.matrix.values)
          send({ type: 'result', reqId: msg.reqId, value }, [
            value.score.buffer as ArrayBuffer,
            value.contributions.buffer as ArrayBuffer,
            value.expected.buffer as ArrayBuffer,
          ])
        } else {
          send({ type: 'result', reqId: msg.reqId, value: scorer.explain(msg.matrix.values) })
        }
      } catch (err) {
        send({ type: 'error', reqId: msg.reqId, message: message(err) })
      }
    }
  }
}

const backendReady = selectBackend('auto')
// Requests are handled one after another, once the backend is loaded.
let chain: Promise<void> = backendReady.then(() => undefined)
port.on('message', (msg: ToWorker) => {
  // Cancelling must not wait behind the training it cancels.
  if (msg.type === 'cancel') {
    void handle(msg)
    return
  }
  chain = chain.then(() => handle(msg))
})

send({ type: 'ready', backend: await backendReady })
