import { pagerFor } from '../common/pager';
import { newId } from '../common/ids';
import { FormError } from '../web/forms';
import { bodyMapFigures } from '../dsp/concerns/body-map';
import { amendmentsView } from '../dsp/concerns/amendment-page.view';
import { Consent, ReferralDetails } from '../dsp/escalations/escalation.entity';
import { ESCALATION_STATUSES, OUTCOMES_BY_ROUTE } from './inbox.dto';
import { InboxPage, InboxReferral } from './inbox.service';

export type InboxFilter = 'all' | (typeof ESCALATION_STATUSES)[number];
export const INBOX_FILTERS: readonly InboxFilter[] = ['all', ...ESCALATION_STATUSES];

/** The inbox table, in the service's order (overdue, then still open, then decided): plain values only. */
export function toInboxPage(answer: InboxPage, filter: InboxFilter) {
  const { items, total } = answer;
  const hrefOf = (n: number) => {
    const query = [filter === 'all' ? null : `status=${filter}`, n === 1 ? null : `page=${n}`].filter(Boolean);
    return query.length ? `/la/inbox?${query.join('&')}` : '/la/inbox';
  };
  return {
    title: 'inbox.title',
    filters: INBOX_FILTERS.map((code) => ({
      code,
      href: code === 'all' ? '/la/inbox' : `/la/inbox?status=${code}`,
      current: code === filter,
    })),
    filter,
    filtered: filter !== 'all',
    count: total,
    overdueCount: answer.overdueTotal,
    pagination: pagerFor(answer, hrefOf),
    items: items.map((item) => ({
      href: `/la/escalations/${item.id}`,
      pupilName: `${item.pupil.firstName} ${item.pupil.lastName}`,
      dateOfBirth: item.pupil.dateOfBirth,
      organisationName: item.organisation.name,
      organisation: item.organisation,
      sentAt: item.sentAt,
      dueBy: item.dueBy,
      status: item.status,
      overdue: item.overdue,
      category: item.category,
      emergency: item.emergency,
      indicators: item.indicators,
      redirectedFromMash: item.redirectedFromMash,
    })),
  };
}

/** What the person typed into the outcome form, kept when the form comes back with a problem. */
export interface OutcomeFormInput {
  outcome?: string;
  note?: string;
}

export type DoneNotice = 'acknowledged' | 'decided';

/** The referral as the receiving team reads it, with the actions its state allows. */
export function toReferralPage(
  referral: InboxReferral,
  options: { form?: OutcomeFormInput; errors?: FormError[]; done?: DoneNotice } = {},
) {
  const consent = (referral.consent ?? {}) as Consent;
  const details = (referral.referral ?? {}) as ReferralDetails;
  const form = options.form ?? {};
  const text = (value: string | null | undefined) => (typeof value === 'string' && value.length > 0 ? value : null);
  const referralFields = {
    householdMembers: (details.householdMembers ?? []).map((member) => ({
      name: member.name,
      relationship: member.relationship,
      dateOfBirth:
        member.dateOfBirth && /^\d{4}-\d{2}-\d{2}/.test(member.dateOfBirth) ? member.dateOfBirth.slice(0, 10) : null,
    })),
    parentalResponsibility: text(details.parentalResponsibility),
    address: text(details.address),
    agenciesInvolved: (details.agenciesInvolved ?? []).filter((agency) => agency.length > 0),
    protectiveMeasures: text(details.protectiveMeasures),
    knownAboutChildAndFamily: text(details.knownAboutChildAndFamily),
    additionalNeeds: text(details.additionalNeeds),
    communicationNeeds: text(details.communicationNeeds),
    riskToVisitors: text(details.riskToVisitors),
    phonedAt: text(details.phonedAt),
    familyLanguage: text(details.familyLanguage),
  };
  const hasReferralDetails =
    referralFields.householdMembers.length > 0 ||
    referralFields.agenciesInvolved.length > 0 ||
    Object.entries(referralFields).some(([, value]) => typeof value === 'string');
  const childsWordsLanguage = referral.concern.childsWordsLanguage;
  const hasError = (field: string) => (options.errors ?? []).some((error) => error.field === field);

  return {
    // Each form's one-use token: a second post of the same form (a double click) answers as the first did.
    submissionKeys: { acknowledge: newId(), outcome: newId() },
    correctedSinceSent: amendmentsView(referral.concern.correctedSinceSent),
    title: 'referralPage.title',
    errors: options.errors?.length ? options.errors : undefined,
    hasError: { outcome: hasError('outcome'), note: hasError('note') },
    done: options.done,
    id: referral.id,
    route: referral.route,
    status: referral.status,
    overdue: referral.overdue,
    sentAt: referral.sentAt,
    dueBy: referral.dueBy,
    sentBy: referral.sentBy,
    organisationName: referral.organisation.name,
    organisation: referral.organisation,
    pupil: {
      name: `${referral.pupil.firstName} ${referral.pupil.lastName}`,
      upn: referral.pupil.upn,
      dateOfBirth: referral.pupil.dateOfBirth,
      yearGroup: referral.pupil.yearGroup,
      homeLanguage: referral.pupil.homeLanguage,
      // Welsh speaking is said outright below, so it is not listed twice.
      flags: referral.pupil.flags.filter((flag) => flag !== 'welsh_speaker'),
      speaksWelsh: referral.pupil.speaksWelsh,
    },
    concern: {
      category: referral.concern.category,
      issues: referral.concern.issues ?? [],
      indicators: referral.concern.indicators ?? [],
      occurredAt: referral.concern.occurredAt,
      summary: referral.concern.summary,
      childsWords: text(referral.concern.childsWords),
      childsWordsLanguage: childsWordsLanguage ?? 'other',
      childsWordsLanguageName: childsWordsLanguage === 'other' ? text(referral.concern.childsWordsLanguageName) : null,
      // An unknown language is `lang=""`, so assistive technology does not read the words as English.
      childsWordsLang: childsWordsLanguage === 'en' || childsWordsLanguage === 'cy' ? childsWordsLanguage : '',
      actionTaken: text(referral.concern.actionTaken),
      bodyMap: bodyMapFigures(referral.concern.bodyMap),
    },
    reasonForRoute: text(referral.reasonForRoute),
    decision: referral.decision,
    /** The threshold judgement in words: `yes`, `no`, `unsure` or `not_answered`. */
    reasonableCause: referral.reasonableCause ?? 'not_answered',
    /** The answer given with the decision itself, which may differ from the one sent later with the referral. */
    decisionReasonableCause: referral.decision?.reasonableCause ?? 'not_answered',
    emergency: referral.emergency,
    consent: {
      sought: consent.sought === true,
      given: consent.given === true ? 'yes' : consent.given === false ? 'no' : 'not_recorded',
      givenBy: text(consent.givenBy),
      // Never on a MASH redirect's early-help referral: the early-help team seeks consent itself.
      reasonNotSought: referral.redirectedFromId === null ? text(consent.reasonNotSought) : null,
    },
    referralFields,
    hasReferralDetails,
    redirectedFromMash: referral.redirectedFromId !== null,
    redirect: referral.redirect,
    acknowledgement: referral.acknowledgement,
    outcome: referral.outcome
      ? { ...referral.outcome, createdEarlyHelp: Boolean(referral.outcome.earlyHelpEscalationId) }
      : null,
    canAcknowledge: referral.status === 'sent',
    canDecide: referral.status !== 'decided',
    outcomeOptions: (OUTCOMES_BY_ROUTE[referral.route] ?? []).map((code, index) => ({
      code,
      id: index === 0 ? 'outcome' : `outcome-${code}`,
      checked: form.outcome === code,
      createsEarlyHelpReferral: referral.route === 'mash' && code === 'redirect_early_help',
    })),
    note: form.note ?? '',
  };
}
