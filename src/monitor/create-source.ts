import {
  VigilError,
  type SourceConfig,
  type SourceHealth,
  type SourceTestResult,
} from '../contract'
import { channelSensors } from '../ingest/channels'
import { createFileSource } from '../ingest/file/create-file-source'
import { FileLineReader } from '../ingest/file/file-lines'
import { previewFile } from '../ingest/file/preview-file'
import { ModbusConfigError } from '../ingest/modbus/decode'
import { ModbusRtuSource, testModbusSource } from '../ingest/modbus/modbus-rtu-source'
import { SerialLineSource } from '../ingest/serial/serial-line-source'
import type { SerialPortFactory } from '../ingest/serial/serial-port-factory'
import { testSerialLines } from '../ingest/serial/test-serial-lines'
import type { Source } from '../ingest/source'
import type { Logger } from '../log/logger'
import type { Clock } from '../platform/clock'

/** A running source the manager can also ask for its health. */
export interface ManagedSource extends Source {
  health(): SourceHealth
}

export interface SourceDeps {
  clock: Clock
  log?: Logger
  /** The serial port to use; tests pass a fake, the app the real one. */
  openPort?: SerialPortFactory
  /** The folders file sources may read from (see `openAllowedFile`). */
  fileFolders: () => readonly string[]
}

/** Builds the source a configuration describes; it starts nothing until `start`. */
export function createSource(config: SourceConfig, deps: SourceDeps): ManagedSource {
  switch (config.kind) {
    case 'serial-lines':
      return new SerialLineSource({
        id: config.id,
        name: config.name,
        settings: config.serial,
        format: config.format,
        channels: config.channels,
        sensors: channelSensors(config.id, config.channels, 1000),
        clock: deps.clock,
        log: deps.log?.scope(`serial:${config.id}`),
        openPort: deps.openPort,
      })
    case 'modbus-rtu':
      try {
        const log = deps.log?.scope(`modbus:${config.id}`)
        return new ModbusRtuSource(config, { clock: deps.clock, log, openPort: deps.openPort })
      } catch (err) {
        // An impossible register address is a mistake in the form: say so as one.
        if (err instanceof ModbusConfigError) {
          throw new VigilError('INVALID_PARAMS', err.message, [`registers: ${err.message}`])
        }
        throw err
      }
    case 'file':
      return createFileSource(config, {
        clock: deps.clock,
        log: deps.log?.scope(`file:${config.id}`),
        folders: deps.fileFolders,
      })
  }
}

/** "Test connection": a short look at what the source would deliver; nothing is stored. */
export async function testSource(
  config: SourceConfig,
  deps: SourceDeps,
): Promise<SourceTestResult> {
  switch (config.kind) {
    case 'serial-lines':
      return testSerialLines(config, deps)
    case 'modbus-rtu':
      return testModbusSource(config, deps)
    case 'file':
      return testFileSource(config, deps)
  }
}

/** A file's first lines, read the way the source will read them. */
async function testFileSource(
  config: Extract<SourceConfig, { kind: 'file' }>,
  deps: SourceDeps,
): Promise<SourceTestResult> {
  let preview
  try {
    preview = await previewFile(config.path, deps.fileFolders(), 10)
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err), lines: [] }
  }
  const lines = preview.lines.map((raw, i) => {
    // A reader per line, so each line's own problem is the one shown beside it.
    const reader = new FileLineReader(config.format, config.channels)
    const read =
      i === 0 ? reader.readFirst(raw, deps.clock.now()) : reader.read(raw, deps.clock.now())
    const error =
      reader.errors.recent()[0]?.kind ?? (reader.values.outOfRange > 0 ? 'out-of-range' : null)
    return { raw, values: read.map((s) => ({ sensorId: s.sensorId, value: s.value })), error }
  })
  const ok = lines.some((l) => l.values.length > 0)
  return { ok, error: ok ? null : 'No line of this file gave a value with this format.', lines }
}
