import { z } from 'zod'

const epochMs = z.number().int().nonnegative()

/**
 * Who may do what, lowest first: a `viewer` sees everything and changes nothing; an `operator`
 * also acknowledges, shelves and writes notes; an `engineer` also configures sources, models,
 * limits, storage and users.
 */
export const ROLES = ['viewer', 'operator', 'engineer'] as const
export const roleSchema = z.enum(ROLES)
export type Role = z.infer<typeof roleSchema>

/** What a method needs: a role, or `public` for the few a signed-out caller may use. */
export type Access = 'public' | Role

const RANK: Record<Access, number> = { public: 0, viewer: 1, operator: 2, engineer: 3 }

/** Whether `role` is enough for what `needs` asks. */
export function roleAllows(role: Role, needs: Access): boolean {
  return RANK[role] >= RANK[needs]
}

/** Names compare without regard to case; letters of any script, digits, space and `._-@`. */
export const userNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._@-]*$/u, 'letters, digits, space and . _ - @ only')

export const MIN_PASSWORD_LENGTH = 8
export const MAX_PASSWORD_LENGTH = 256
/** Checked again by the core, which also refuses a password equal to the user's name. */
export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH)

/** A password being checked (sign-in): any length, so a wrong one is just wrong. */
const givenPasswordSchema = z.string().max(MAX_PASSWORD_LENGTH)

/** The signed-in user, as a caller sees it. */
export const sessionInfoSchema = z.object({
  user: z.string(),
  role: roleSchema,
  /** When the session ends at the latest; null: only by signing out (viewers). */
  expiresAt: epochMs.nullable(),
  /** After this long without input the screen signs out; null: never. */
  idleSignOutMs: z.number().int().positive().nullable(),
})
export type SessionInfo = z.infer<typeof sessionInfoSchema>

/**
 * The answer to a sign-in. `token` goes with every call (`Authorization: Bearer`, or the cookie
 * the web host sets); the desktop app keeps it in its main process and the window never sees it.
 */
export const signInResultSchema = sessionInfoSchema.extend({ token: z.string().optional() })
export type SignInResult = z.infer<typeof signInResultSchema>

export const signInParamsSchema = z
  .object({ name: z.string().trim().min(1).max(64), password: givenPasswordSchema })
  .strict()

export const setUpParamsSchema = z
  .object({
    /** The one-time set-up token `vigil serve` printed; the desktop window needs none. */
    token: z.string().max(200).optional(),
    name: userNameSchema,
    password: passwordSchema,
  })
  .strict()

export const sessionStateSchema = z.object({
  /** No engineer account exists yet: only the first-run set-up is possible. */
  setupRequired: z.boolean(),
  /** The set-up needs the token printed on the host's console (the web host). */
  setupNeedsToken: z.boolean(),
  session: sessionInfoSchema.nullable(),
})
export type SessionState = z.infer<typeof sessionStateSchema>

/** Why a session ended, as the `session` event tells its screen. */
export const SESSION_END_REASONS = [
  'signed-out',
  'expired',
  'idle',
  'password-changed',
  'user-removed',
  'role-changed',
  'replaced',
] as const
export const sessionEndReasonSchema = z.enum(SESSION_END_REASONS)
export type SessionEndReason = z.infer<typeof sessionEndReasonSchema>

export const sessionEndedEventSchema = z.object({ ended: sessionEndReasonSchema })
export type SessionEndedEvent = z.infer<typeof sessionEndedEventSchema>

export const changePasswordParamsSchema = z
  .object({ currentPassword: givenPasswordSchema, newPassword: passwordSchema })
  .strict()

/** A user account as the Users page shows it (never its password hash). */
export const userAccountSchema = z.object({
  name: z.string(),
  role: roleSchema,
  /** False for accounts carried over from before sign-in existed: they need a password set. */
  hasPassword: z.boolean(),
  /** Failed sign-ins since the last good one. */
  failedAttempts: z.number().int(),
  /** Signing in is refused until then; null: not locked. */
  lockedUntil: epochMs.nullable(),
  lastSignInAt: epochMs.nullable(),
  createdAt: epochMs,
})
export type UserAccount = z.infer<typeof userAccountSchema>

export const saveUserParamsSchema = z
  .object({
    name: userNameSchema,
    role: roleSchema,
    /** Required for a new user; leave out to change an existing user's role only. */
    password: passwordSchema.optional(),
  })
  .strict()

export const userNameParamsSchema = z.object({ name: userNameSchema }).strict()

export const resetPasswordParamsSchema = z
  .object({ name: userNameSchema, newPassword: passwordSchema })
  .strict()

const MAX_IDLE_MINUTES = 24 * 60

/** Installation-wide rules for sessions and files, stored in the database. */
export const securitySettingsSchema = z
  .object({
    /** Operators and engineers are signed out after this many minutes without input; 0: never. */
    idleMinutes: z.number().int().min(0).max(MAX_IDLE_MINUTES),
    /** An operator's or engineer's session ends after this many hours at the latest. */
    sessionHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 7),
    /**
     * Folders (absolute) beyond the defaults from which engineers may preview and import files
     * and run file sources.
     */
    extraFileFolders: z.array(z.string().trim().min(1).max(4096)).max(32),
  })
  .strict()
export type SecuritySettings = z.infer<typeof securitySettingsSchema>

export const DEFAULT_SECURITY_SETTINGS: SecuritySettings = {
  idleMinutes: 15,
  sessionHours: 12,
  extraFileFolders: [],
}

export const securityInfoSchema = z.object({
  settings: securitySettingsSchema,
  /** Every folder files may come from now: the defaults, then the extra ones. */
  fileFolders: z.array(z.string()),
})
export type SecurityInfo = z.infer<typeof securityInfoSchema>

/** What an audit row records. */
export const AUDIT_ACTIONS = [
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'session-ended',
  'first-account',
  'password-changed',
  'password-reset',
  'user-saved',
  'user-deleted',
  'user-unlocked',
  'security-settings',
  'source-saved',
  'source-deleted',
  'file-imported',
  'storage-settings',
  'backup',
  'training-started',
  'training-cancelled',
  'model-activated',
  'model-deactivated',
  'model-deleted',
  'detection-changed',
  'alarm-definition-saved',
  'alarm-definition-deleted',
  'demo-fault',
] as const
export const auditActionSchema = z.enum(AUDIT_ACTIONS)
export type AuditAction = z.infer<typeof auditActionSchema>

/** What the audit trail can be filtered by: sessions, users and security, or the rest. */
export const AUDIT_GROUPS = ['sessions', 'users', 'config'] as const
export const auditGroupSchema = z.enum(AUDIT_GROUPS)
export type AuditGroup = z.infer<typeof auditGroupSchema>

const SESSION_ACTIONS: readonly AuditAction[] = [
  'sign-in',
  'sign-in-failed',
  'sign-out',
  'session-ended',
  'first-account',
]
const USER_ACTIONS: readonly AuditAction[] = [
  'password-changed',
  'password-reset',
  'user-saved',
  'user-deleted',
  'user-unlocked',
  'security-settings',
]

/** The actions of a group; every action is in exactly one. */
export function auditGroupActions(group: AuditGroup): AuditAction[] {
  if (group === 'sessions') return [...SESSION_ACTIONS]
  if (group === 'users') return [...USER_ACTIONS]
  return AUDIT_ACTIONS.filter((a) => !SESSION_ACTIONS.includes(a) && !USER_ACTIONS.includes(a))
}

/** One row of the append-only audit trail: who changed what, when, from what to what. */
export const auditEntrySchema = z.object({
  seq: z.number().int(),
  t: epochMs,
  /** Who did it: a user name, `console (<os user>)` for the command line, null for the system. */
  user: z.string().nullable(),
  action: auditActionSchema,
  /** What it was done to, e.g. `source:line-3`, `user:li`, `storage`. */
  target: z.string().nullable(),
  /** JSON of the value before and after; null where there was none. */
  before: z.string().nullable(),
  after: z.string().nullable(),
  note: z.string().nullable(),
  /** Where the call came from: `desktop`, `console` or a network address. */
  origin: z.string().nullable(),
})
export type AuditEntry = z.infer<typeof auditEntrySchema>

export const auditQuerySchema = z
  .object({
    from: epochMs,
    to: epochMs,
    actions: z.array(auditActionSchema).optional(),
    /** A group of actions (both filters apply when both are given). */
    group: auditGroupSchema.optional(),
    user: z.string().max(64).optional(),
    /** Newest first; page with `beforeSeq` (the last seq of the previous page). */
    beforeSeq: z.number().int().optional(),
    limit: z.number().int().min(1).max(5000).default(500),
  })
  .strict()
  .refine((p) => p.to > p.from, { message: '"to" must be after "from"', path: ['to'] })
export type AuditQuery = z.output<typeof auditQuerySchema>

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  total: z.number().int(),
})
export type AuditPage = z.infer<typeof auditPageSchema>
