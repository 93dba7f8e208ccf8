import type { ContractMethods } from '../../contract'
import type { AuthService } from '../../auth/auth-service'

type AuthMethodName =
  | 'getSession'
  | 'signIn'
  | 'signOut'
  | 'setUpFirstAccount'
  | 'changePassword'
  | 'listUsers'
  | 'saveUser'
  | 'deleteUser'
  | 'resetPassword'
  | 'unlockUser'
  | 'getSecurity'
  | 'setSecuritySettings'
  | 'queryAuditTrail'

/** Sessions, users, security settings and the audit trail: the auth service answers. */
export function authMethods(auth: AuthService): Pick<ContractMethods, AuthMethodName> {
  return {
    getSession: (p, ctx) => auth.getSession(p, ctx),
    signIn: (p, ctx) => auth.signIn(p, ctx),
    signOut: (p, ctx) => auth.signOut(p, ctx),
    setUpFirstAccount: (p, ctx) => auth.setUpFirstAccount(p, ctx),
    changePassword: (p, ctx) => auth.changePassword(p, ctx),
    listUsers: () => auth.listUsers(),
    saveUser: (p, ctx) => auth.saveUser(p, ctx),
    deleteUser: (p, ctx) => auth.deleteUser(p, ctx),
    resetPassword: (p, ctx) => auth.resetPassword(p, ctx),
    unlockUser: (p, ctx) => auth.unlockUser(p, ctx),
    getSecurity: () => auth.getSecurity(),
    setSecuritySettings: (p, ctx) => auth.setSecuritySettings(p, ctx),
    queryAuditTrail: (p) => auth.queryAuditTrail(p),
  }
}
