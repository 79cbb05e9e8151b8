export const ROLES = ['staff', 'head', 'office', 'leader', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The signed-in user on whose behalf an update acts; the API puts it in every payload. */
export interface Actor {
  id: string;
  name: string;
  role: Role;
  /** The unit a `staff` or `head` account belongs to; null for district-level roles. */
  unitCode: string | null;
}
