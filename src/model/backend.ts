import type { BackendName } from '../contract'
import type { Logger } from '../log/logger'

export type BackendPreference = 'auto' | 'tfjs-node' | 'wasm' | 'cpu'

// Kept in a variable so bundlers and the type checker leave this optional package alone: it is
// absent wherever libtensorflow could not be downloaded at install time.
const NATIVE_PACKAGE = '@tensorflow/tfjs-node'

/**
 * Picks the TensorFlow.js backend: native `tfjs-node` when it loads, else WebAssembly, else the
 * plain JavaScript `cpu` backend. The same model code runs on all three.
 */
export async function selectBackend(
  preference: BackendPreference = 'auto',
  log?: Logger,
): Promise<BackendName> {
  const tf = await import('@tensorflow/tfjs')
  if (preference === 'auto' || preference === 'tfjs-node') {
    try {
      await import(/* @vite-ignore */ NATIVE_PACKAGE)
      if (await tf.setBackend('tensorflow')) {
        await tf.ready()
        return 'tfjs-node'
      }
    } catch (err) {
      log?.info(
        `native TensorFlow not available (${err instanceof Error ? err.message.split('\n')[0] : String(err)})`,
      )
    }
  }
  if (preference !== 'cpu') {
    try {
      await import('@tensorflow/tfjs-backend-wasm')
      if (await tf.setBackend('wasm')) {
        await tf.ready()
        return 'wasm'
      }
    } catch (err) {
      log?.warn('WebAssembly backend failed to load', err)
    }
  }
  await tf.setBackend('cpu')
  await tf.ready()
  return 'cpu'
}
