import { describe, expect, it } from 'vitest'
import { shortValue } from '../../../renderer/src/lib/audit-value'

describe('an audit value', () => {
  it('shows on one short line', () => {
    expect(shortValue(null)).toBe('')
    expect(shortValue('"valve-closing"')).toBe('valve-closing')
    expect(shortValue('{"rawRetentionDays":30}')).toBe('{"rawRetentionDays":30}')
    expect(shortValue(JSON.stringify({ path: 'x'.repeat(500) }), 20)).toHaveLength(20)
  })
})
