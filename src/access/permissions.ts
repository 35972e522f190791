import { Role } from '../common/roles';

/** What each role may do, in one table. Which records it may do it to is AccessPolicy's other half. */
export const PERMISSIONS = {
  'pupil.read': ['staff', 'dsp', 'head_teacher', 'la_mash', 'la_early_help'],
  'concern.record': ['staff', 'dsp', 'head_teacher'],
  /** See every concern about the organisation's pupils, not only one's own. */
  'concern.read_all': ['dsp', 'head_teacher'],
  'concern.triage': ['dsp'],
  'escalation.send': ['dsp'],
  /** Report to MASH or the police oneself when no DSP can be reached (`dspUnavailable`; anyone may report). */
  'escalation.send_without_dsp': ['staff', 'head_teacher'],
  'escalation.receive': ['la_mash', 'la_early_help'],
  'chronology.read': ['dsp', 'head_teacher'],
  'guidance.evaluate': ['staff', 'dsp', 'head_teacher', 'la_mash', 'la_early_help', 'la_lead'],
  'audit.read': ['head_teacher', 'la_lead'],
  /** Aggregate referral figures (counts only): a school's own, or every school's for the LA lead. */
  'report.read': ['dsp', 'head_teacher', 'la_lead'],
  /** Edit the local authority's services directory and tune the guidance's history triggers. */
  'directory.manage': ['la_lead'],
  /** Bring a school's or PRU's roll in from its information system (own organisation; admin: any of the LA's). */
  'roll.import': ['dsp', 'head_teacher', 'admin'],
  /** Find a pupil of the LA not yet on one's roll by UPN and date of birth (a PRU, a receiving school). */
  'pupil.lookup': ['dsp', 'head_teacher'],
  /**
   * PRU placements (pru/): start, review and end one at one's own PRU; read those of one's PRU or of
   * one's school's pupils. Which placements is AccessPolicy's `restrictPlacements`.
   */
  'placement.manage': ['dsp', 'head_teacher'],
  /** A pupil's address and contacts from the roll import (of pupils enrolled at one's organisation). */
  'pupil.contacts.read': ['dsp', 'head_teacher'],
  /** Manage accounts: which ones is accounts/account-management.ts (API.md, Accounts: who manages whom). */
  'account.manage': ['admin', 'head_teacher', 'la_lead'],
  /** Add, rename, deactivate and reactivate the local authority's schools and PRUs. */
  'organisation.manage': ['admin'],
  /** Send a pupil's safeguarding file to the school or PRU the pupil moves to, and confirm one received. */
  'transfer.send': ['dsp'],
  'transfer.receive': ['dsp'],
  /** Read the organisation's incoming and outgoing transfers (their own rows, not the pupil's file). */
  'transfer.read': ['dsp', 'head_teacher'],
  /**
   * Retention review (retention/): the review list, legal holds and two-person disposal. A DSP for the
   * records held at their school or PRU, the LA lead for those held anywhere in the local authority.
   */
  'retention.review': ['dsp', 'la_lead'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function roleMay(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

/** The referral route each local-authority team receives. */
export const TEAM_ROUTE: Partial<Record<Role, 'mash' | 'early_help'>> = {
  la_mash: 'mash',
  la_early_help: 'early_help',
};
