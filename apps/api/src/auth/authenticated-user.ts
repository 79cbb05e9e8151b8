import type { Actor, Role } from '@duban/contracts';

/** Who a verified access token speaks for; attached to the request by the global guard. */
export interface AuthenticatedUser {
  id: string;
  username: string;
  name: string;
  role: Role;
  /** The unit of a staff or head account (the office's own unit for `office`); null otherwise. */
  unitCode: string | null;
  /** The token's id, so that logout can revoke exactly this token. */
  tokenId: string;
  /** When the token expires (epoch seconds). */
  expiresAt: number;
}

/** The acting user as the workflow sees it in every update payload. */
export function toActor(user: AuthenticatedUser): Actor {
  return { id: user.id, name: user.name, role: user.role, unitCode: user.unitCode };
}

/** The request shape the guards and the `@CurrentUser()` decorator share. */
export interface RequestWithUser {
  user?: AuthenticatedUser;
  headers: Record<string, string | string[] | undefined>;
  ip?: string;
}
