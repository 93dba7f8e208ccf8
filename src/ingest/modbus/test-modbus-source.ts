import type { SourceConfig, SourceTestResult } from '../../contract'
import type { Clock } from '../../platform/clock'
import { explainPortError } from '../serial/port-errors'
import { openRealPort, type SerialPortFactory } from '../serial/serial-port-factory'
import { ModbusConfigError } from './decode'
import { DeviceMap } from './device-map'
import { isWritable, ModbusBus } from './modbus-bus'
import { ModbusHealth } from './modbus-health'
import { describeRead, planReads, type PlannedRead } from './poll-plan'
import { readSplitting } from './read-splitting'
import { readValues } from './read-values'
import { describeException } from './rtu-frame'

/**
 * "Test connection" for a Modbus RTU source: opens the port, runs one poll cycle and reports
 * each request as a line (`slave 1 holding 0..3`, the values read, or why none were). A read
 * the device refuses is split as the running source would, so a register the device lacks is
 * named. `ok` when some slave answered (even with an exception: the wiring works); the port is
 * closed again afterwards.
 */
export async function testModbusSource(
  config: Extract<SourceConfig, { kind: 'modbus-rtu' }>,
  deps: { clock: Clock; openPort?: SerialPortFactory },
): Promise<SourceTestResult> {
  let plan: PlannedRead[]
  try {
    plan = planReads(config.registers, { slaves: config.slaves })
  } catch (err) {
    if (err instanceof ModbusConfigError) return { ok: false, error: err.message, lines: [] }
    throw err
  }
  const path = config.serial.path
  const port = (deps.openPort ?? openRealPort)(config.serial)
  let portError: Error | null = null
  port.on('error', (err) => (portError = err))
  if (!isWritable(port)) {
    return { ok: false, error: `${path}: this port cannot send requests`, lines: [] }
  }
  const opened = await new Promise<Error | null>((resolve) => port.open(resolve))
  if (opened) return { ok: false, error: explainPortError(opened, path), lines: [] }

  const health = new ModbusHealth(config.registers.map((r) => r.slaveId))
  const bus = new ModbusBus(port, {
    clock: deps.clock,
    settings: config.serial,
    timeoutMs: config.timeoutMs,
    retries: config.retries,
  })
  const lines: SourceTestResult['lines'] = []
  let answered = false
  const splitting = { bus, map: new DeviceMap(), now: () => deps.clock.now() }
  try {
    for (const read of plan) {
      const failed = await readSplitting(read, splitting, (r, outcome, alone) => {
        answered ||= outcome.kind === 'ok' || outcome.kind === 'exception'
        const { samples, error } = readValues(r, outcome, deps.clock.now(), health)
        const missing = r.items.map((i) => i.register.id).join(', ')
        lines.push({
          raw: describeRead(r),
          values: samples.map((s) => ({ sensorId: s.sensorId, value: s.value })),
          error:
            alone && outcome.kind === 'exception'
              ? `${describeException(outcome.code)}: the device has no such register (${missing})`
              : error,
        })
      })
      if (failed) {
        lines.push({ raw: describeRead(read), values: [], error: failed.error.message })
        break
      }
    }
  } finally {
    bus.close(new Error('test finished'))
    port.removeAllListeners()
    port.on('error', () => {})
    await new Promise<void>((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()))
  }
  const failed = portError as Error | null
  let error: string | null = null
  if (failed) error = explainPortError(failed, path)
  else if (!answered)
    error = `No slave on ${path} answered: check wiring, baud rate, parity and slave ids.`
  return { ok: !failed && answered, error, lines }
}
