import { join, resolve } from 'node:path'
import { backupDatabase, openForBackup } from '../historian/backup'
import { DB_FILE_NAME } from '../historian/historian'
import { defaultDataDir } from '../platform/data-dir'
import type { BackupArgs } from './args'

/** `vigil backup`: an online copy of the database, readable while another Vigil writes to it. */
export async function backup(args: BackupArgs): Promise<void> {
  const dataDir = args.dataDir ?? defaultDataDir()
  const db = openForBackup(join(dataDir, DB_FILE_NAME))
  try {
    const r = await backupDatabase(db, resolve(args.to))
    process.stdout.write(
      `Backup written to ${r.file} (${(r.bytes / 1024 / 1024).toFixed(1)} MB in ${Math.round(r.durationMs)} ms); integrity check: ${r.integrity}\n`,
    )
    if (r.integrity !== 'ok') process.exitCode = 1
  } finally {
    db.close()
  }
}
