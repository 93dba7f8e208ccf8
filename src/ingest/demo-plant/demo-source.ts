import type { DemoFault, DemoState, SampleBatch, Sensor, SourceStatus } from '../../contract'
import type { Clock, Timer } from '../../platform/clock'
import type { Sample } from '../sample'
import { RateMeter, type SampleSink, type Source } from '../source'
import { demoPlantConfig, demoSensors, type DemoPlantConfig } from './demo-config'
import { PumpModel, readingsInOrder } from './pump-model'

export interface DemoSourceOptions {
  clock: Clock
  seed?: number
  rateHz?: number
  config?: DemoPlantConfig
}

/** A gap longer than this (a suspended PC) is not simulated step by step. */
const MAX_STEP_S = 10

/** The built-in demo plant: a simulated pump that streams its 8 channels in real time. */
export class DemoSource implements Source {
  readonly id: string
  readonly kind = 'demo'
  readonly name: string
  private readonly model: PumpModel
  private readonly rateHz: number
  private readonly sensorList: Sensor[]
  private readonly meter: RateMeter
  private timer: Timer | null = null
  private lastT: number | null = null
  private lastSampleAt: number | null = null
  private faultSince: number | null = null

  constructor(private readonly opts: DemoSourceOptions) {
    const config = opts.config ?? demoPlantConfig
    this.id = config.sourceId
    this.name = config.name
    this.rateHz = opts.rateHz ?? config.rateHz
    this.model = new PumpModel(opts.seed ?? 1)
    this.sensorList = demoSensors(this.rateHz, config)
    this.meter = new RateMeter(() => opts.clock.now())
  }

  sensors(): Sensor[] {
    return this.sensorList
  }

  /** Reads the plant once at time `t`: one sample per channel. */
  read(t: number): Sample[] {
    const dtS =
      this.lastT === null
        ? 1 / this.rateHz
        : Math.min(MAX_STEP_S, Math.max(0, (t - this.lastT) / 1000))
    this.lastT = t
    const values = readingsInOrder(this.model.step(dtS, t))
    this.lastSampleAt = t
    return this.sensorList.map((s, i) => ({ sensorId: s.id, t, value: values[i] }))
  }

  /**
   * Simulates the plant from `from` to `to` (exclusive) at its sampling rate, in columnar batches
   * of about `batchRows` readings, so a fresh installation has history to train a model on. The
   * live stream then continues from where this ends.
   */
  *history(from: number, to: number, batchRows = 3600): Generator<SampleBatch> {
    const stepMs = 1000 / this.rateHz
    const n = this.sensorList.length
    let batch: SampleBatch = { sensorIds: [], t: [], values: [] }
    for (let t = from; t < to; t += stepMs) {
      const at = Math.round(t)
      for (const s of this.read(at)) {
        batch.sensorIds.push(s.sensorId)
        batch.t.push(s.t)
        batch.values.push(s.value)
      }
      if (batch.t.length >= batchRows * n) {
        yield batch
        batch = { sensorIds: [], t: [], values: [] }
      }
    }
    if (batch.t.length) yield batch
  }

  start(sink: SampleSink): void {
    if (this.timer) return
    const tick = () => {
      const samples = this.read(this.opts.clock.now())
      this.meter.add(samples.length)
      sink(samples)
    }
    this.timer = this.opts.clock.setInterval(tick, 1000 / this.rateHz)
  }

  stop(): void {
    if (this.timer) this.opts.clock.clearInterval(this.timer)
    this.timer = null
  }

  /** Starts (or, with `none`, ends) a scripted fault. */
  setFault(fault: DemoFault): DemoState {
    if (fault !== this.model.fault) {
      this.model.fault = fault
      this.faultSince = fault === 'none' ? null : this.opts.clock.now()
    }
    return this.demoState()
  }

  demoState(): DemoState {
    return { fault: this.model.fault, since: this.faultSince }
  }

  status(): SourceStatus {
    return {
      id: this.id,
      kind: this.kind,
      name: this.name,
      state: this.timer ? 'running' : 'stopped',
      samplesPerS: this.meter.perSecond(),
      lastSampleAt: this.lastSampleAt,
      lastError: null,
    }
  }
}
