import { VigilError, type Role, type User } from '../contract'

/** Looks up who is acting; an unknown name is refused, whatever the UI showed. */
export function requireUser(users: (name: string) => User | null, name: string): User {
  const user = users(name)
  if (!user)
    throw new VigilError(
      'FORBIDDEN',
      `"${name}" is not a user of this workstation. Ask an engineer to add you.`,
    )
  return user
}

const ROLE_RANK: Record<Role, number> = { operator: 0, engineer: 1 }

/** Refuses an action unless the user has at least `role`. */
export function requireRole(
  users: (name: string) => User | null,
  name: string,
  role: Role,
  what: string,
): User {
  const user = requireUser(users, name)
  if (ROLE_RANK[user.role] < ROLE_RANK[role])
    throw new VigilError(
      'FORBIDDEN',
      `Only an ${role} may ${what}; ${user.name} is an ${user.role}.`,
    )
  return user
}
