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
  {
    version: 5,
    sql: `
      -- Alarm definitions as validated JSON (the service validates on load).
      CREATE TABLE alarm_definitions (
        id TEXT PRIMARY KEY,
        definition TEXT NOT NULL,   -- JSON
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      -- The live state of each alarm, written after every change so a restart resumes it.
      CREATE TABLE alarm_state (
        alarm_id TEXT PRIMARY KEY,
        runtime TEXT NOT NULL,      -- JSON: AlarmRuntime
        detail TEXT NOT NULL        -- JSON: AlarmDetail
      );
      -- The alarm journal (ISA-18.2 record): rows are only ever added.
      CREATE TABLE alarm_journal (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        t INTEGER NOT NULL,
        alarm_id TEXT NOT NULL,
        alarm_name TEXT NOT NULL,
        priority TEXT NOT NULL,
        cause TEXT NOT NULL,
        from_state TEXT NOT NULL,
        to_state TEXT NOT NULL,
        user TEXT,
        note TEXT,
        value REAL,
        sensor_id TEXT
      );
      CREATE INDEX alarm_journal_t ON alarm_journal (t);
      CREATE INDEX alarm_journal_alarm_t ON alarm_journal (alarm_id, t);
      CREATE TRIGGER alarm_journal_no_update BEFORE UPDATE ON alarm_journal
      BEGIN
        SELECT RAISE(ABORT, 'the alarm journal is append-only');
      END;
      CREATE TRIGGER alarm_journal_no_delete BEFORE DELETE ON alarm_journal
      BEGIN
        SELECT RAISE(ABORT, 'the alarm journal is append-only');
      END;
      -- Anomaly events of model alarms: from activation to clear, with the peak and contributors.
      CREATE TABLE anomaly_events (
        id INTEGER PRIMARY KEY,
        alarm_id TEXT NOT NULL,
        model_id INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER,                -- null while the event goes on
        peak_score REAL NOT NULL,
        peak_at INTEGER NOT NULL,
        threshold REAL NOT NULL,
        contributors TEXT NOT NULL  -- JSON
      );
      CREATE INDEX anomaly_events_start ON anomaly_events (start);
      -- Who may do what; names compare without regard to case.
      CREATE TABLE users (
        name TEXT PRIMARY KEY COLLATE NOCASE,
        role TEXT NOT NULL CHECK (role IN ('operator', 'engineer')),
        created_at INTEGER NOT NULL
      );
      INSERT INTO users (name, role, created_at) VALUES
        ('operator', 'operator', 0),
        ('engineer', 'engineer', 0);
    `,
  },
  {
    version: 6,
    sql: `
      -- Accounts that sign in: a viewer role, a scrypt password hash, lockout counters, and a
      -- credential version that ends every session when the password changes. The two
      -- built-in users without a password ('operator' and 'engineer', created at 0) go: there is
      -- no default account. Users an engineer added stay, and need a password set to sign in.
      CREATE TABLE accounts (
        name TEXT PRIMARY KEY COLLATE NOCASE,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'engineer')),
        password_hash TEXT,
        credential_version INTEGER NOT NULL DEFAULT 1,
        failed_attempts INTEGER NOT NULL DEFAULT 0,
        locked_until INTEGER,
        last_sign_in_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      INSERT INTO accounts (name, role, created_at, updated_at)
        SELECT name, role, created_at, created_at FROM users WHERE created_at <> 0;
      DROP TABLE users;
      -- The audit trail: configuration changes, sign-ins and sign-outs. Rows are only added.
      CREATE TABLE audit_journal (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        t INTEGER NOT NULL,
        user TEXT,
        action TEXT NOT NULL,
        target TEXT,
        before TEXT,                -- JSON
        after TEXT,                 -- JSON
        note TEXT,
        origin TEXT
      );
      CREATE INDEX audit_journal_t ON audit_journal (t);
      CREATE TRIGGER audit_journal_no_update BEFORE UPDATE ON audit_journal
      BEGIN
        SELECT RAISE(ABORT, 'the audit trail is append-only');
      END;
      CREATE TRIGGER audit_journal_no_delete BEFORE DELETE ON audit_journal
      BEGIN
        SELECT RAISE(ABORT, 'the audit trail is append-only');
      END;
    `,
  },
]

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0
