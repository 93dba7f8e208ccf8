import { describe, expect, it } from 'vitest'
import { defaultDataDir } from '../../../../src/platform/data-dir'

describe('defaultDataDir', () => {
  it('is the per-user app data folder Electron also uses, on each OS', () => {
    expect(defaultDataDir('linux', {}, '/home/op')).toBe('/home/op/.config/Vigil')
    expect(defaultDataDir('linux', { XDG_CONFIG_HOME: '/cfg' }, '/home/op')).toBe('/cfg/Vigil')
    expect(defaultDataDir('darwin', {}, '/Users/op')).toBe(
      '/Users/op/Library/Application Support/Vigil',
    )
    expect(
      defaultDataDir('win32', { APPDATA: 'C:\\Users\\op\\AppData\\Roaming' }, 'C:\\Users\\op'),
    ).toMatch(/Roaming[\\/]Vigil$/)
  })
})
