import type { DemoFault } from '../../contract'
import { gaussian, seededRandom } from '../random'

/** Readings in the order of `resources/demo-plant.json`. */
export interface PumpReadings {
  vibDriveEnd: number
  vibNonDriveEnd: number
  current: number
  pressure: number
  motorTemp: number
  fluidTemp: number
  voltage: number
  flow: number
}

export const NOMINAL = {
  flow: 42, // m³/h with the valve fully open
  pressure: 4.2, // bar at nominal flow
  current: 20.5, // A at nominal flow
  voltage: 400, // V, three-phase
  ambient: 22, // °C
  vibDriveEnd: 0.21, // g RMS
  vibNonDriveEnd: 0.26, // g RMS
} as const

/** How fast a fault develops and recovers. */
const VALVE_CLOSED_POSITION = 0.3
const VALVE_SPEED_PER_S = (1 - VALVE_CLOSED_POSITION) / 60 // closes in about a minute
const BEARING_WEAR_PER_S = 1 / 300 // fully worn in about five minutes
const MOTOR_TEMP_TAU_S = 300
const FLUID_TEMP_TAU_S = 900

/** A slow, bounded random walk (Ornstein-Uhlenbeck): the drift every real sensor has. */
class Drift {
  value = 0
  constructor(
    private readonly sigma: number,
    private readonly tauS: number,
  ) {}
  step(dtS: number, n: number): number {
    const a = Math.exp(-dtS / this.tauS)
    this.value = this.value * a + this.sigma * Math.sqrt(1 - a * a) * n
    return this.value
  }
}

/**
 * A centrifugal pump with a discharge valve, a motor and two bearings, stepped in simulated time.
 * Closing the valve lowers flow and current and raises pressure, vibration (recirculation) and
 * fluid temperature; a wearing bearing raises vibration, then current and motor temperature.
 */
export class PumpModel {
  private valve = 1
  private wear = 0
  private motorTemp: number
  private fluidTemp: number
  private readonly noise: () => number
  private readonly drifts = {
    flow: new Drift(0.01, 1800),
    voltage: new Drift(0.004, 3600),
    ambient: new Drift(0.8, 7200),
    vib: new Drift(0.03, 900),
  }
  fault: DemoFault = 'none'

  constructor(seed = 1) {
    this.noise = gaussian(seededRandom(seed))
    this.motorTemp = this.motorTempTarget(1, 0)
    this.fluidTemp = NOMINAL.ambient + 2
  }

  private motorTempTarget(currentRatio: number, wear: number): number {
    return NOMINAL.ambient + 38 * currentRatio * currentRatio + 9 * wear
  }

  /** Advances the pump by `dtS` seconds of simulated time, at `tMs` (for daily cycles). */
  step(dtS: number, tMs: number): PumpReadings {
    const n = this.noise
    const closing = this.fault === 'valve-closing'
    const valveTarget = closing ? VALVE_CLOSED_POSITION : 1
    const dv = VALVE_SPEED_PER_S * dtS
    this.valve += Math.max(-dv, Math.min(dv, valveTarget - this.valve))
    this.wear =
      this.fault === 'bearing-wear'
        ? Math.min(1, this.wear + BEARING_WEAR_PER_S * dtS)
        : Math.max(0, this.wear - 4 * BEARING_WEAR_PER_S * dtS)

    const flowRatio = Math.sqrt(this.valve) * (1 + this.drifts.flow.step(dtS, n()))
    const flow = NOMINAL.flow * flowRatio
    const pressure = NOMINAL.pressure * (1.25 - 0.25 * flowRatio * flowRatio)
    const currentRatio = (0.6 + 0.4 * flowRatio) * (1 + 0.07 * this.wear * this.wear)
    const current = NOMINAL.current * currentRatio
    const dayPhase = (2 * Math.PI * (tMs % 86_400_000)) / 86_400_000
    const ambient = NOMINAL.ambient + 1.5 * Math.sin(dayPhase) + this.drifts.ambient.step(dtS, n())
    const voltage =
      NOMINAL.voltage * (1 + 0.006 * Math.sin(dayPhase * 4) + this.drifts.voltage.step(dtS, n()))

    this.motorTemp +=
      (this.motorTempTarget(currentRatio, this.wear) - this.motorTemp) *
      (1 - Math.exp(-dtS / MOTOR_TEMP_TAU_S))
    const fluidTarget = ambient + 2 + 5 * (1 - flowRatio)
    this.fluidTemp += (fluidTarget - this.fluidTemp) * (1 - Math.exp(-dtS / FLUID_TEMP_TAU_S))

    const recirculation = 1 + 1.6 * (1 - flowRatio) ** 2
    const vibDrift = 1 + this.drifts.vib.step(dtS, n())
    const vibDriveEnd = NOMINAL.vibDriveEnd * recirculation * vibDrift + 0.55 * this.wear ** 2
    const vibNonDriveEnd = NOMINAL.vibNonDriveEnd * recirculation * vibDrift + 0.22 * this.wear ** 2

    // Measurement noise, relative to each signal's size, as a transmitter adds it.
    return {
      vibDriveEnd: Math.max(0, vibDriveEnd * (1 + 0.04 * n())),
      vibNonDriveEnd: Math.max(0, vibNonDriveEnd * (1 + 0.04 * n())),
      current: current * (1 + 0.01 * n()),
      pressure: pressure * (1 + 0.006 * n()),
      motorTemp: this.motorTemp + 0.15 * n(),
      fluidTemp: this.fluidTemp + 0.08 * n(),
      voltage: voltage + 0.9 * n(),
      flow: Math.max(0, flow * (1 + 0.012 * n())),
    }
  }
}

/** The readings in channel order, matching the configuration file. */
export function readingsInOrder(r: PumpReadings): number[] {
  return [
    r.vibDriveEnd,
    r.vibNonDriveEnd,
    r.current,
    r.pressure,
    r.motorTemp,
    r.fluidTemp,
    r.voltage,
    r.flow,
  ]
}
