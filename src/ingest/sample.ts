/** One measurement: `t` in epoch milliseconds (UTC). */
export interface Sample {
  sensorId: string
  t: number
  value: number
}
