import type { SourceConfig, SourceTestResult } from '../../contract'
import type { Clock } from '../../platform/clock'
import { LineErrorLog } from '../lines/line-errors'
import { parseLine } from '../lines/line-parser'
import { LineSplitter } from '../lines/line-splitter'
import { explainPortError } from './port-errors'
import { openRealPort, type SerialPortFactory } from './serial-port-factory'

const MAX_LINES = 10

/**
 * "Test connection" for a serial line source: opens the port, reads for up to `ms` or ten lines,
 * and shows each line with what was read from it. The port is closed again in every case.
 */
export function testSerialLines(
  config: Extract<SourceConfig, { kind: 'serial-lines' }>,
  deps: { clock: Clock; openPort?: SerialPortFactory; ms?: number },
): Promise<SourceTestResult> {
  const port = (deps.openPort ?? openRealPort)(config.serial)
  const lines: SourceTestResult['lines'] = []
  return new Promise((resolve) => {
    let done = false
    const finish = (error: string | null) => {
      if (done) return
      done = true
      deps.clock.clearTimeout(timer)
      port.removeAllListeners()
      port.on('error', () => {})
      if (port.isOpen) port.close(() => {})
      resolve({
        ok: error === null && lines.length > 0,
        error:
          error ??
          (lines.length
            ? null
            : 'No lines arrived: check the wiring, the baud rate and that the device is sending.'),
        lines,
      })
    }
    const splitter = new LineSplitter(
      config.format.maxLineLength,
      (raw) => {
        const errors = new LineErrorLog(1)
        const values = parseLine(config.format, raw, deps.clock.now(), errors).map((s) => ({
          sensorId: s.sensorId,
          value: s.value,
        }))
        lines.push({ raw: raw.slice(0, 300), values, error: errors.recent()[0]?.kind ?? null })
        if (lines.length >= MAX_LINES) finish(null)
      },
      (start) => lines.push({ raw: start, values: [], error: 'too-long' }),
    )
    const timer = deps.clock.setTimeout(() => finish(null), deps.ms ?? 3000)
    port.on('data', (chunk) => splitter.push(chunk))
    port.on('error', (err) => finish(explainPortError(err, config.serial.path)))
    port.open((err) => {
      if (err) finish(explainPortError(err, config.serial.path))
    })
  })
}
