import { homedir } from 'node:os'
import { join } from 'node:path'

export const APP_FOLDER_NAME = 'Vigil'

/**
 * The OS's per-user application data folder for Vigil; the same folder Electron's
 * `app.getPath('userData')` gives, so the desktop app and `vigil serve` share history.
 */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32')
    return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME)
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', APP_FOLDER_NAME)
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), APP_FOLDER_NAME)
}
