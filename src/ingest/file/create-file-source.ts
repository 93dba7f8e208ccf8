import type { SourceConfig } from '../../contract'
import type { Logger } from '../../log/logger'
import type { Clock } from '../../platform/clock'
import { channelSensors } from '../channels'
import { FileReplaySource } from './file-replay-source'
import { FileTailSource } from './file-tail-source'

export type FileSourceConfig = Extract<SourceConfig, { kind: 'file' }>

/**
 * The live source a `file` configuration describes: a replay of a recorded file or a tail of
 * one another program writes. One sensor per channel, nominally once a second.
 */
export function createFileSource(
  config: FileSourceConfig,
  deps: { clock: Clock; log?: Logger; folders: () => readonly string[] },
): FileReplaySource | FileTailSource {
  const common = {
    id: config.id,
    name: config.name,
    path: config.path,
    format: config.format,
    channels: config.channels,
    sensors: channelSensors(config.id, config.channels, 1000),
    clock: deps.clock,
    log: deps.log,
    folders: deps.folders,
  }
  return config.mode === 'replay'
    ? new FileReplaySource({ ...common, speed: config.speed, loop: config.loop })
    : new FileTailSource(common)
}
