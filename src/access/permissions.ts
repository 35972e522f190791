import { Role } from '../organisations/roles';

/** What each role may do, in one table. Which records it may do it to is AccessPolicy's other half. */
export const PERMISSIONS = {
  'pupil.read': ['staff', 'dsp', 'head_teacher', 'la_mash', 'la_early_help'],
  'audit.read': ['head_teacher', 'la_lead'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function roleMay(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}
