/**
 * Numbered schema migrations, applied in order at start-up inside one transaction. The schema
 * version is SQLite's `user_version`. Never edit a released migration: add a new one.
 */
export const MIGRATIONS: readonly { version: number; sql: string }[] = [
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
]

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0
