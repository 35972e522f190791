import { parseCalendarDate } from '../common/calendar-date';
import { InvalidInputError } from '../common/domain-error';
import { londonInstantOf } from '../calendar/london-time';
import { PAGE_SIZE } from '../common/paging';

/** `<subject>.<past tense>`, as API.md lists them. */
export const AUDIT_ACTIONS = [
  'pupil.viewed',
  'pupil_list.viewed',
  'concern_list.viewed',
  'escalation_list.viewed',
  'chronology.viewed',
  'chronology.exported',
  'guidance.evaluated',
  'concern.recorded',
  'concern.viewed',
  'concern.decided',
  'concern.closed',
  'concern.amended',
  'escalation.sent',
  'escalation.viewed',
  'escalation.acknowledged',
  'escalation.outcome_recorded',
  'directory.updated',
  'guidance_settings.updated',
  'account.signed_in',
  'account.sign_in_failed',
  'account.locked_out',
  'account.sign_in_refused',
  'account.signed_out',
  'account.switched_role',
  'account.preferences_changed',
  'password.changed',
  'password.reset_requested',
  'password.reset',
  'roll.imported',
  'pupil.looked_up',
  'account.two_factor_failed',
  'two_factor.enabled',
  'two_factor.disabled',
  'two_factor.recovery_codes_regenerated',
  'two_factor.recovery_code_used',
  'organisation.created',
  'organisation.renamed',
  'organisation.deactivated',
  'organisation.reactivated',
  'user.invited',
  'user.invitation_resent',
  'membership.added',
  'membership.ended',
  'user.deactivated',
  'user.reactivated',
  'invitation.accepted',
  'placement.started',
  'placement.reviewed',
  'placement.ended',
  'placement.viewed',
  'transfer.sent',
  'transfer.received',
  'transfer.viewed',
  'action.created',
  'action.completed',
  'action.viewed',
  'action_list.viewed',
  'attachment.added',
  'attachment.viewed',
  'retention_list.viewed',
  'retention.viewed',
  'legal_hold.placed',
  'legal_hold.lifted',
  'disposal.proposed',
  'disposal.approved',
  'disposal.cancelled',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** The kinds of record an entry is about (`subjectType`). */
export const AUDIT_SUBJECT_TYPES = ['pupil', 'pupil_list', 'concern', 'escalation', 'organisation', 'account'] as const;

export const AUDIT_PAGE_SIZE = PAGE_SIZE;

/** The filters as a caller sends them (query parameters: text), before they are read. */
export interface AuditFilterInput {
  subjectType?: string;
  subjectId?: string;
  /** Who acted (a user id). */
  actorId?: string;
  /** Entries about one pupil: their record, chronology, concerns and referrals. */
  pupilId?: string;
  /** Part of a pupil's name, or a UPN: the pupils the reader may see that match. */
  pupil?: string;
  action?: string;
  /** First and last day (`YYYY-MM-DD`, Europe/London), both included. */
  from?: string;
  to?: string;
  page?: string | number;
  pageSize?: string | number;
}

export type AuditFilterField =
  'subjectType' | 'subjectId' | 'actorId' | 'pupilId' | 'action' | 'from' | 'to' | 'page' | 'pageSize';
export type AuditFilterProblem = 'invalid' | 'beforeFrom' | 'outOfRange';

/** The filters read: ids lower-cased, days as the instants that bound them. */
export interface AuditFilter {
  subjectType?: string;
  subjectId?: string;
  actorId?: string;
  pupilId?: string;
  pupilText?: string;
  action?: AuditAction;
  from?: string;
  to?: string;
  /** London midnight starting `from`, and the one ending `to` (exclusive), as stored instants. */
  atOrAfter?: string;
  before?: string;
  page: number;
  pageSize: number;
}

const PROBLEM_MESSAGES: Record<AuditFilterProblem, string> = {
  invalid: '{field} is not valid',
  beforeFrom: 'to must be the same day as from or after it',
  outOfRange: '{field} is out of range',
};

/** Filters that cannot be read (400), keyed by field; `problems` lets the page say it in its own words. */
export class AuditFilterError extends InvalidInputError {
  constructor(readonly problems: Partial<Record<AuditFilterField, AuditFilterProblem>>) {
    const messages: Record<string, string[]> = {};
    for (const [field, problem] of Object.entries(problems)) {
      messages[field] = [PROBLEM_MESSAGES[problem].replace('{field}', field)];
    }
    super(messages, 'The audit filters are not valid');
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const blank = (value: string | number | undefined): value is undefined =>
  value === undefined || String(value).trim() === '';

/** Reads the filters; every problem at once, as one AuditFilterError. */
export function parseAuditFilter(input: AuditFilterInput): AuditFilter {
  const problems: Partial<Record<AuditFilterField, AuditFilterProblem>> = {};
  const filter: AuditFilter = { page: 1, pageSize: AUDIT_PAGE_SIZE.default };

  const id = (field: 'subjectId' | 'actorId' | 'pupilId') => {
    const value = input[field];
    if (blank(value)) return undefined;
    if (!UUID.test(value.trim())) problems[field] = 'invalid';
    return value.trim().toLowerCase();
  };
  filter.subjectId = id('subjectId');
  filter.actorId = id('actorId');
  filter.pupilId = id('pupilId');

  if (!blank(input.subjectType)) {
    if ((AUDIT_SUBJECT_TYPES as readonly string[]).includes(input.subjectType)) filter.subjectType = input.subjectType;
    else problems.subjectType = 'invalid';
  }
  if (!blank(input.action)) {
    if ((AUDIT_ACTIONS as readonly string[]).includes(input.action)) filter.action = input.action as AuditAction;
    else problems.action = 'invalid';
  }
  if (!blank(input.pupil)) filter.pupilText = input.pupil.trim();

  const day = (field: 'from' | 'to') => {
    const value = input[field];
    if (blank(value)) return undefined;
    const parsed = parseCalendarDate(value.trim());
    if (parsed === undefined) problems[field] = 'invalid';
    else if (parsed < FIRST_DAY || parsed > LAST_DAY) problems[field] = 'outOfRange';
    else filter[field] = value.trim();
    return problems[field] ? undefined : parsed;
  };
  const from = day('from');
  const to = day('to');
  if (from !== undefined && to !== undefined && to < from) problems.to = 'beforeFrom';
  if (from !== undefined) filter.atOrAfter = new Date(londonInstantOf(from, 0)).toISOString();
  if (to !== undefined) filter.before = new Date(londonInstantOf(to + 1, 0)).toISOString();

  const whole = (field: 'page' | 'pageSize', max: number) => {
    const value = input[field];
    if (blank(value)) return undefined;
    const text = String(value).trim();
    if (!/^\d{1,6}$/.test(text)) {
      problems[field] = 'invalid';
      return undefined;
    }
    const n = Number(text);
    if (n < 1 || n > max) problems[field] = 'outOfRange';
    return n;
  };
  filter.page = whole('page', 999_999) ?? 1;
  filter.pageSize = whole('pageSize', AUDIT_PAGE_SIZE.max) ?? AUDIT_PAGE_SIZE.default;

  if (Object.keys(problems).length > 0) throw new AuditFilterError(problems);
  return filter;
}

const FIRST_DAY = parseCalendarDate('2000-01-01')!;
const LAST_DAY = parseCalendarDate('2099-12-31')!;
