/**
 * Who an actor is, in words every module shares: the kinds of organisation, the roles held in them and
 * the languages of the pages. They are part of `Actor`, so they live at the bottom, in common/.
 */
export const ORGANISATION_KINDS = ['local_authority', 'school', 'pru'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const ROLES = ['staff', 'dsp', 'head_teacher', 'la_mash', 'la_early_help', 'la_lead', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const isSettingKind = (kind: OrganisationKind) => kind === 'school' || kind === 'pru';

export { LANGUAGES, type Language } from './language';
