import { describe, expect, it } from 'vitest'
import {
  formFromSettings,
  issuesToErrors,
  settingsFromForm,
} from '../../../renderer/src/lib/storage-form'

const settings = {
  rawRetentionDays: 30,
  minuteRetentionDays: 365,
  hourRetentionDays: null,
  maxSizeMb: 2048,
}

describe('storage settings form', () => {
  it('round-trips the settings, "forever" and "no cap" included', () => {
    const form = formFromSettings(settings)
    expect(form.hourForever).toBe(true)
    expect(form.noCap).toBe(false)
    expect(settingsFromForm(form)).toEqual({ settings })
    expect(settingsFromForm(formFromSettings({ ...settings, maxSizeMb: null }))).toEqual({
      settings: { ...settings, maxSizeMb: null },
    })
  })

  it('ignores a number left in a field whose "none" choice is ticked', () => {
    const form = { ...formFromSettings(settings), hourRetentionDays: 'abc', hourForever: true }
    expect(settingsFromForm(form)).toEqual({ settings })
  })

  it('refuses only what is not a whole number; the rest is for the host to judge', () => {
    const form = { ...formFromSettings(settings), rawRetentionDays: '1.5', maxSizeMb: '' }
    expect(settingsFromForm(form)).toEqual({
      errors: { rawRetentionDays: { key: 'wholeNumber' }, maxSizeMb: { key: 'wholeNumber' } },
    })
    const below = { ...formFromSettings(settings), minuteRetentionDays: '7' }
    expect(settingsFromForm(below)).toEqual({ settings: { ...settings, minuteRetentionDays: 7 } })
  })

  it("puts the host's issues beside their fields", () => {
    const { fields, other } = issuesToErrors([
      'minuteRetentionDays: 1-minute history must be kept at least as long as raw samples',
      'maxSizeMb: Too small: expected number to be >=64',
      'rawRetentionDays: Too big: expected number to be <=36500',
      'hourRetentionDays: Invalid input: expected number, received string',
      '(params): Unrecognized key: "extra"',
    ])
    expect(fields).toEqual({
      minuteRetentionDays: { key: 'minuteBelowRaw' },
      maxSizeMb: { key: 'atLeast', values: { n: 64 } },
      rawRetentionDays: { key: 'atMost', values: { n: 36500 } },
      hourRetentionDays: { text: 'Invalid input: expected number, received string' },
    })
    expect(other).toEqual(['(params): Unrecognized key: "extra"'])
  })
})
