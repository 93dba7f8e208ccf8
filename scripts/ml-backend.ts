// Prints the TensorFlow.js backend the app will use, chosen by the app's own code.
import { selectBackend } from '../src/model/backend'

process.stdout.write(`VIGIL_ML ${await selectBackend('auto')}\n`)
