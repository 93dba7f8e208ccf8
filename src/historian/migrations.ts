/**
 * Numbered schema migrations, applied in order at start-up inside one transaction. The schema
 * version is SQLite's `user_version`. Never edit a released migration: add a new one.
 */
export interface Migration {
  version: number
  sql: string
  /** Work to do after the transaction commits (e.g. rebuilding derived data), once. */
  after?: 'rebuild-rollups'
}

const rollupTable = (name: string) => `
  CREATE TABLE ${name} (
    sensor INTEGER NOT NULL,
    bucket INTEGER NOT NULL, -- start of the bucket, epoch ms
    n INTEGER NOT NULL,
    sum REAL NOT NULL,
    min REAL NOT NULL,
    t_min INTEGER NOT NULL, -- first time the minimum was seen
    max REAL NOT NULL,
    t_max INTEGER NOT NULL,
    last REAL NOT NULL,
    t_last INTEGER NOT NULL,
    PRIMARY KEY (sensor, bucket)
  ) WITHOUT ROWID;`

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE sensors (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        meta TEXT NOT NULL
      );
      -- One row per sample, clustered by sensor and time: range scans read contiguous pages.
      CREATE TABLE samples (
        sensor INTEGER NOT NULL,
        t INTEGER NOT NULL,
        value REAL NOT NULL,
        PRIMARY KEY (sensor, t)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    sql: `
      ${rollupTable('rollup_1m')}
      ${rollupTable('rollup_1h')}
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
      -- Row counts per table, kept in the same transactions as the writes: counting millions of
      -- rows on demand would stall the app.
      CREATE TABLE row_counts (
        name TEXT PRIMARY KEY,
        n INTEGER NOT NULL
      );
      INSERT INTO row_counts (name, n) SELECT 'samples', COUNT(*) FROM samples;
      INSERT INTO row_counts (name, n) VALUES ('rollup_1m', 0), ('rollup_1h', 0);
    `,
    after: 'rebuild-rollups',
  },
  {
    version: 3,
    sql: `
      -- Sensor sources an engineer configured (serial lines, Modbus RTU, files), as validated JSON.
      CREATE TABLE sources (
        id TEXT PRIMARY KEY,
        config TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 4,
    sql: `
      -- Trained anomaly models, one row per version; at most one is active.
      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        active INTEGER NOT NULL DEFAULT 0,
        spec TEXT NOT NULL,         -- JSON: sensors, window, attention kind, sizes
        options TEXT NOT NULL,      -- JSON: training options (seed, epochs, ...)
        detection TEXT NOT NULL,    -- JSON: threshold settings (editable)
        calibrated_threshold REAL NOT NULL,
        period_ms INTEGER NOT NULL, -- time step of the model's rows
        trained_from INTEGER NOT NULL,
        trained_to INTEGER NOT NULL,
        backend TEXT NOT NULL,
        metrics TEXT NOT NULL,      -- JSON
        scaler TEXT NOT NULL,       -- JSON
        topology TEXT NOT NULL,     -- JSON (TensorFlow.js layers model)
        weight_specs TEXT NOT NULL, -- JSON
        weights BLOB NOT NULL,
        validation_scores BLOB NOT NULL -- float32, for recalibrating the threshold
      );
      CREATE INDEX models_active ON models (active) WHERE active = 1;
    `,
  },
]

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0
