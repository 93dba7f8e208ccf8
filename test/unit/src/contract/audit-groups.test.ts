import { describe, expect, it } from 'vitest'
import { AUDIT_ACTIONS, AUDIT_GROUPS, auditGroupActions } from '../../../../src/contract'

describe('audit groups', () => {
  it('put every action in exactly one group', () => {
    const all = AUDIT_GROUPS.flatMap((g) => auditGroupActions(g)).sort()
    expect(all).toEqual([...AUDIT_ACTIONS].sort())
    expect(auditGroupActions('sessions')).toContain('sign-in-failed')
    expect(auditGroupActions('users')).toContain('password-reset')
    expect(auditGroupActions('config')).toContain('storage-settings')
    expect(auditGroupActions('config')).not.toContain('sign-in')
  })
})
