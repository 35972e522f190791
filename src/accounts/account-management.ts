import { Actor } from '../common/actor';
import { OrganisationKind, Role } from '../common/roles';

/**
 * Who manages whom (API.md, Accounts): the roles that manage accounts, and which memberships each may
 * add, end and see. Pure rules; the services narrow their queries with `managedMembershipsSql` below,
 * which says the same in SQL (the unit test checks the two agree on every role and kind).
 */
export const SCHOOL_ROLES: readonly Role[] = ['staff', 'dsp', 'head_teacher'];
export const LA_TEAM_ROLES: readonly Role[] = ['la_mash', 'la_early_help', 'la_lead'];
export const LA_ROLES: readonly Role[] = [...LA_TEAM_ROLES, 'admin'];
export const MANAGING_ROLES: readonly Role[] = ['admin', 'head_teacher', 'la_lead'];

/** The roles an organisation of this kind can hold. */
export function rolesFor(kind: OrganisationKind): readonly Role[] {
  return kind === 'local_authority' ? LA_ROLES : SCHOOL_ROLES;
}

/** What the rules need of the organisation a membership is at. */
export interface MembershipPlace {
  organisationId: string;
  /** The organisation's own local authority (itself, for a local authority). */
  localAuthorityId: string;
  role: Role;
}

export const managesAccounts = (actor: Pick<Actor, 'role'>): boolean => MANAGING_ROLES.includes(actor.role);

/**
 * Whether `actor` manages a membership with this role at this organisation: the admin every membership
 * of the LA's organisations; a head teacher their own organisation's staff, DSPs and head teachers; the
 * LA lead the LA's own teams and leads. Nobody else manages anything.
 */
export function manages(
  actor: Pick<Actor, 'role' | 'organisationId' | 'localAuthorityId'>,
  place: MembershipPlace,
): boolean {
  switch (actor.role) {
    case 'admin':
      return place.localAuthorityId === actor.localAuthorityId;
    case 'head_teacher':
      return place.organisationId === actor.organisationId && SCHOOL_ROLES.includes(place.role);
    case 'la_lead':
      return place.organisationId === actor.localAuthorityId && LA_TEAM_ROLES.includes(place.role);
    default:
      return false;
  }
}

/**
 * The same rule as SQL over a memberships alias `m` (and an organisations alias `o` joined on
 * `o.id = m.organisation_id`), with its parameters; null for a role that manages nothing.
 */
export function managedMembershipsSql(
  actor: Pick<Actor, 'role' | 'organisationId' | 'localAuthorityId'>,
): { sql: string; params: Record<string, unknown> } | null {
  switch (actor.role) {
    case 'admin':
      return {
        sql: '(o.id = :managerLa OR o.local_authority_id = :managerLa)',
        params: { managerLa: actor.localAuthorityId },
      };
    case 'head_teacher':
      return {
        sql: '(m.organisation_id = :managerOrg AND m.role IN (:...managedRoles))',
        params: { managerOrg: actor.organisationId, managedRoles: [...SCHOOL_ROLES] },
      };
    case 'la_lead':
      return {
        sql: '(m.organisation_id = :managerLa AND m.role IN (:...managedRoles))',
        params: { managerLa: actor.localAuthorityId, managedRoles: [...LA_TEAM_ROLES] },
      };
    default:
      return null;
  }
}
