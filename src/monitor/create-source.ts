import {
  VigilError,
  type SourceConfig,
  type SourceHealth,
  type SourceTestResult,
} from '../contract'
import { channelSensors } from '../ingest/channels'
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
}

/** Builds the source a configuration describes. */
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
    case 'file':
      throw new VigilError(
        'NOT_AVAILABLE',
        `${config.kind} sources are not available in this version yet.`,
      )
  }
}

/** "Test connection": a short look at what the source would deliver, nothing stored. */
export function testSource(config: SourceConfig, deps: SourceDeps): Promise<SourceTestResult> {
  switch (config.kind) {
    case 'serial-lines':
      return testSerialLines(config, deps)
    case 'modbus-rtu':
    case 'file':
      throw new VigilError(
        'NOT_AVAILABLE',
        `${config.kind} sources are not available in this version yet.`,
      )
  }
}
