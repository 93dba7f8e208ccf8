import { z } from 'zod'
import { sensorIdSchema, type Sensor } from '../../contract'
import demoPlantJson from '../../../resources/demo-plant.json' with { type: 'json' }

const demoSensorSchema = z.object({
  id: sensorIdSchema,
  name: z.string(),
  zh: z.string(),
  unit: z.string(),
  normalMin: z.number(),
  normalMax: z.number(),
  decimals: z.number().int().min(0).max(6),
})

const demoPlantSchema = z.object({
  sourceId: z.string(),
  name: z.string(),
  rateHz: z.number().positive().max(1000),
  sensors: z.array(demoSensorSchema).length(8),
})

export type DemoPlantConfig = z.infer<typeof demoPlantSchema>

/** The demo plant's channels, from `resources/demo-plant.json`. */
export const demoPlantConfig: DemoPlantConfig = demoPlantSchema.parse(demoPlantJson)

/** The demo plant's sensors as the contract describes them, at the given sampling rate. */
export function demoSensors(rateHz: number, config: DemoPlantConfig = demoPlantConfig): Sensor[] {
  return config.sensors.map((s) => ({
    id: s.id,
    name: s.name,
    localizedNames: { 'zh-CN': s.zh },
    unit: s.unit,
    sourceId: config.sourceId,
    normalMin: s.normalMin,
    normalMax: s.normalMax,
    periodMs: 1000 / rateHz,
    decimals: s.decimals,
  }))
}

/** A fresh demo installation starts with this much simulated history, enough to train a model. */
export const DEMO_HISTORY_MS = 6 * 3_600_000
