import type { Db } from './open-database'

/** What is stored of a model version besides its weights (JSON columns are parsed, not validated). */
export interface StoredModelHead {
  id: number
  name: string
  createdAt: number
  active: boolean
  spec: unknown
  options: unknown
  detection: unknown
  calibratedThreshold: number
  periodMs: number
  trainedFrom: number
  trainedTo: number
  backend: string
  metrics: unknown
}

/** The parts needed to load and run the network. */
export interface StoredModelBody {
  scaler: unknown
  topology: unknown
  weightSpecs: unknown
  weights: Uint8Array
  validationScores: Float32Array
}

export type NewModel = Omit<StoredModelHead, 'id' | 'active'> & StoredModelBody

interface HeadRow {
  id: number
  name: string
  created_at: number
  active: number
  spec: string
  options: string
  detection: string
  calibrated_threshold: number
  period_ms: number
  trained_from: number
  trained_to: number
  backend: string
  metrics: string
}

interface BodyRow {
  scaler: string
  topology: string
  weight_specs: string
  weights: Buffer
  validation_scores: Buffer
}

const HEAD_COLUMNS = `id, name, created_at, active, spec, options, detection, calibrated_threshold,
  period_ms, trained_from, trained_to, backend, metrics`

/**
 * Model versions in the history database: every trained model is kept until deleted, so an
 * engineer can roll back. Every write is one transaction, on disk when it returns.
 */
export class ModelStore {
  constructor(private readonly db: Db) {}

  list(): StoredModelHead[] {
    return this.db
      .prepare<[], HeadRow>(`SELECT ${HEAD_COLUMNS} FROM models ORDER BY id DESC`)
      .all()
      .map(toHead)
  }

  head(id: number): StoredModelHead | null {
    const row = this.db
      .prepare<[number], HeadRow>(`SELECT ${HEAD_COLUMNS} FROM models WHERE id = ?`)
      .get(id)
    return row ? toHead(row) : null
  }

  body(id: number): StoredModelBody | null {
    const row = this.db
      .prepare<[number], BodyRow>(
        'SELECT scaler, topology, weight_specs, weights, validation_scores FROM models WHERE id = ?',
      )
      .get(id)
    if (!row) return null
    return {
      scaler: JSON.parse(row.scaler) as unknown,
      topology: JSON.parse(row.topology) as unknown,
      weightSpecs: JSON.parse(row.weight_specs) as unknown,
      weights: new Uint8Array(row.weights.buffer, row.weights.byteOffset, row.weights.byteLength),
      validationScores: float32From(row.validation_scores),
    }
  }

  activeId(): number | null {
    const row = this.db
      .prepare<[], { id: number }>('SELECT id FROM models WHERE active = 1 LIMIT 1')
      .get()
    return row?.id ?? null
  }

  insert(m: NewModel): number {
    const run = this.db.transaction(() =>
      this.db
        .prepare(
          `INSERT INTO models (name, created_at, active, spec, options, detection,
             calibrated_threshold, period_ms, trained_from, trained_to, backend, metrics, scaler,
             topology, weight_specs, weights, validation_scores)
           VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          m.name,
          m.createdAt,
          JSON.stringify(m.spec),
          JSON.stringify(m.options),
          JSON.stringify(m.detection),
          m.calibratedThreshold,
          m.periodMs,
          m.trainedFrom,
          m.trainedTo,
          m.backend,
          JSON.stringify(m.metrics),
          JSON.stringify(m.scaler),
          JSON.stringify(m.topology),
          JSON.stringify(m.weightSpecs),
          Buffer.from(m.weights.buffer, m.weights.byteOffset, m.weights.byteLength),
          Buffer.from(
            m.validationScores.buffer,
            m.validationScores.byteOffset,
            m.validationScores.byteLength,
          ),
        ),
    )
    return Number(run().lastInsertRowid)
  }

  /** Makes `id` the one active model (null: none). */
  setActive(id: number | null): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE models SET active = 0 WHERE active = 1').run()
      if (id !== null) this.db.prepare('UPDATE models SET active = 1 WHERE id = ?').run(id)
    })()
  }

  /** New threshold settings and the threshold calibrated for them. */
  setDetection(id: number, detection: unknown, calibratedThreshold: number): void {
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE models SET detection = ?, calibrated_threshold = ? WHERE id = ?')
        .run(JSON.stringify(detection), calibratedThreshold, id)
    })()
  }

  delete(id: number): boolean {
    return this.db.transaction(
      () => this.db.prepare('DELETE FROM models WHERE id = ?').run(id).changes > 0,
    )()
  }
}

function toHead(r: HeadRow): StoredModelHead {
  return {
    id: r.id,
    name: r.name,
    createdAt: r.created_at,
    active: r.active === 1,
    spec: JSON.parse(r.spec) as unknown,
    options: JSON.parse(r.options) as unknown,
    detection: JSON.parse(r.detection) as unknown,
    calibratedThreshold: r.calibrated_threshold,
    periodMs: r.period_ms,
    trainedFrom: r.trained_from,
    trainedTo: r.trained_to,
    backend: r.backend,
    metrics: JSON.parse(r.metrics) as unknown,
  }
}

/** A copy: SQLite's buffer may not be 4-byte aligned. */
function float32From(buf: Buffer): Float32Array {
  const out = new Float32Array(Math.floor(buf.byteLength / 4))
  new Uint8Array(out.buffer).set(buf.subarray(0, out.length * 4))
  return out
}
