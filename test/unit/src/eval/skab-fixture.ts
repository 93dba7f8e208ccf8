/** Small generated SKAB-format files (the real data are GPL and stay out of the repo). */

export const SKAB_SENSORS = [
  'Accelerometer1RMS',
  'Accelerometer2RMS',
  'Current',
  'Pressure',
  'Temperature',
  'Thermocouple',
  'Voltage',
  'Volume Flow RateRMS',
]

export interface FixtureOptions {
  rows: number
  /** Anomalous rows [from, to); change points at both ends. */
  anomaly: [number, number]
  /** Added to every sensor inside the anomaly. */
  shift?: number
  seed?: number
  start?: string
}

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

/** A SKAB-shaped CSV text: `;` separated, CRLF, 1 Hz, labels as 0.0 / 1.0. */
export function skabCsv(o: FixtureOptions): string {
  const rand = rng(o.seed ?? 1)
  const t0 = Date.parse(`${o.start ?? '2020-03-09T10:14:33'}Z`)
  const lines = [['datetime', ...SKAB_SENSORS, 'anomaly', 'changepoint'].join(';')]
  for (let r = 0; r < o.rows; r++) {
    const inside = r >= o.anomaly[0] && r < o.anomaly[1]
    const cp = r === o.anomaly[0] || r === o.anomaly[1]
    const time = new Date(t0 + r * 1000).toISOString().slice(0, 19).replace('T', ' ')
    const values = SKAB_SENSORS.map(
      (_, c) =>
        c + 1 + Math.sin(r / 7 + c) * 0.2 + (rand() - 0.5) * 0.1 + (inside ? (o.shift ?? 3) : 0),
    )
    lines.push(
      [time, ...values.map((v) => v.toFixed(5)), inside ? '1.0' : '0.0', cp ? '1.0' : '0.0'].join(
        ';',
      ),
    )
  }
  return lines.join('\r\n') + '\r\n'
}
