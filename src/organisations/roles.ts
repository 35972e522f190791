export const ORGANISATION_KINDS = ['local_authority', 'school', 'pru'] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export const ROLES = ['staff', 'dsp', 'head_teacher', 'la_mash', 'la_early_help', 'la_lead', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles held in a school or PRU: they work with the pupils on their own roll. */
export const SETTING_ROLES: readonly Role[] = ['staff', 'dsp', 'head_teacher'];
/** Roles held in a local authority. `admin` manages accounts and never sees pupil data. */
export const LOCAL_AUTHORITY_ROLES: readonly Role[] = ['la_mash', 'la_early_help', 'la_lead', 'admin'];

export const isSettingKind = (kind: OrganisationKind) => kind === 'school' || kind === 'pru';

export { LANGUAGES, type Language } from '../common/language';
