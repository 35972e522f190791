import { DECISION_OUTCOMES, REASONABLE_CAUSE_ANSWERS } from '../../guidance/codes';
import { EMERGENCY_INDICATORS, isBelowGuidance } from '../../guidance/guidance-engine';
import { EscalationResponse } from '../escalations/escalation.mapper';
import {
  earlyHelpFirst,
  HOUSEHOLD_ROWS,
  reasonableCauseOf,
  ReferralFormState,
  routeChoices,
} from '../escalations/referral-form';
import { STAFF_ROUTES } from '../escalations/escalations.service';
import { DecisionFormState } from './decision-form';
import { bodyMapFigures } from './body-map';
import { FormError } from '../../web/forms';
import { newId } from '../../common/ids';
import { GuidanceAnswer } from '../../guidance/guidance.mapper';
import type { ConcernPageAbilities } from './concerns.service';
import { ConcernPageDetail as ConcernRecord } from './concerns.service';

/** The concern as the page shows it: its guidance already in the page's words (the controller translates). */
type ConcernPageDetail = Omit<ConcernRecord, 'guidance'> & { guidance: GuidanceAnswer };

/** What the signed-in person may do on the page (from AccessPolicy, decided in the controller). */
export type ConcernPagePermissions = ConcernPageAbilities;

export interface ConcernPageForms {
  decision: DecisionFormState;
  referral: ReferralFormState;
  /** A member of staff's own report when no DSP can be reached (route, what happened, consent, phoned). */
  staffReport: ReferralFormState;
  close: { closeRationale: string };
}

const DONE = ['recorded', 'decided', 'referred', 'closed', 'reported'] as const;

/** Outcomes below MASH: below the guidance once the DSP says there is reasonable cause to suspect. */
const BELOW_MASH: readonly string[] = ['no_further_action', 'monitor', 'school_support', 'early_help'];

export const STATUS_TAGS: Record<string, string> = {
  awaiting_triage: 'govuk-tag--orange',
  open: 'govuk-tag--blue',
  closed: 'govuk-tag--grey',
  sent: 'govuk-tag--light-blue',
  acknowledged: 'govuk-tag--blue',
  decided: 'govuk-tag--green',
};

const isEmergencyIndicator = (code: string) => (EMERGENCY_INDICATORS as readonly string[]).includes(code);

function referralOf(escalation: EscalationResponse, all: EscalationResponse[]) {
  const consent = (escalation.consent ?? {}) as {
    sought?: boolean;
    given?: boolean | null;
    givenBy?: string | null;
    reasonNotSought?: string | null;
  };
  const referral = (escalation.referral ?? {}) as {
    householdMembers?: Array<{ name: string; relationship: string; dateOfBirth?: string | null }>;
    agenciesInvolved?: string[];
    parentalResponsibility?: string | null;
    address?: string | null;
    protectiveMeasures?: string | null;
    knownAboutChildAndFamily?: string | null;
    additionalNeeds?: string | null;
    communicationNeeds?: string | null;
    riskToVisitors?: string | null;
    familyLanguage?: string | null;
    phonedAt?: string | null;
  };
  const details = (
    [
      'parentalResponsibility',
      'address',
      'protectiveMeasures',
      'knownAboutChildAndFamily',
      'additionalNeeds',
      'communicationNeeds',
      'familyLanguage',
      'riskToVisitors',
    ] as const
  )
    .filter((field) => typeof referral[field] === 'string' && referral[field])
    .map((field) => ({ field, value: referral[field] as string }));
  const redirectedFrom = escalation.redirectedFromId
    ? (all.find((e) => e.id === escalation.redirectedFromId) ?? null)
    : null;
  return {
    id: escalation.id,
    anchor: `referral-${escalation.id}`,
    route: escalation.route,
    status: escalation.status,
    statusTag: STATUS_TAGS[escalation.status] ?? '',
    sentAt: escalation.sentAt,
    dueBy: escalation.dueBy,
    overdue: escalation.overdue,
    sentBy: escalation.sentBy,
    recommendedLevel: String(escalation.recommendedLevel),
    recommendedRoute: escalation.recommendedRoute,
    /** Below the guidance (the only direction ever labelled; going up is never shown). */
    belowGuidance: escalation.againstRecommendation,
    reasonForRoute: escalation.reasonForRoute,
    dspUnavailable: escalation.dspUnavailable,
    consent: {
      sought: consent.sought === true,
      given: consent.given === true,
      notGiven: consent.given === false,
      givenBy: consent.givenBy ?? null,
      reasonNotSought: consent.reasonNotSought ?? null,
    },
    householdMembers: referral.householdMembers ?? [],
    agenciesInvolved: referral.agenciesInvolved ?? [],
    details,
    phonedAt: referral.phonedAt ?? null,
    acknowledgement: escalation.acknowledgement,
    outcome: escalation.outcome,
    earlyHelpAnchor: escalation.outcome?.earlyHelpEscalationId
      ? `referral-${escalation.outcome.earlyHelpEscalationId}`
      : null,
    earlyHelpVisible: Boolean(
      escalation.outcome?.earlyHelpEscalationId && all.some((e) => e.id === escalation.outcome?.earlyHelpEscalationId),
    ),
    redirectedFromAnchor: redirectedFrom ? `referral-${redirectedFrom.id}` : null,
    isRedirect: Boolean(escalation.redirectedFromId),
  };
}

/** The concern page's view model: the record, the guidance, the history and (for a DSP) the forms. */
export function concernPageView(
  detail: ConcernPageDetail,
  can: ConcernPagePermissions,
  forms: ConcernPageForms,
  errors: FormError[],
  done?: string,
) {
  const errorOf = (field: string) => errors.find((e) => e.field === field) ?? null;
  const closed = detail.status === 'closed';
  const guidance = detail.guidance;
  // The concern's threshold judgement: the latest answered one of its decisions.
  const judgement = reasonableCauseOf(
    [...detail.decisions].reverse().find((d) => d.reasonableCause !== null)?.reasonableCause ?? '',
  );
  const decision = forms.decision;
  const decisionJudgement = decision.reasonableCause || judgement || '';
  const choices = (name: string, value: string, codes: readonly string[]) =>
    codes.map((code, index) => ({ value: code, id: index === 0 ? name : `${name}-${code}`, checked: value === code }));
  const referral = forms.referral;
  const referralJudgement = reasonableCauseOf(referral.reasonableCause) ?? judgement;
  const referralFields = [
    'referralReasonableCause',
    'reasonForRoute',
    'consentSought',
    'consentGiven',
    'consentGivenBy',
    'reasonNotSought',
    'parentalResponsibility',
    'address',
    'agenciesInvolved',
    'protectiveMeasures',
    'knownAboutChildAndFamily',
    'additionalNeeds',
    'communicationNeeds',
    'familyLanguage',
    'riskToVisitors',
    'phonedDate',
    'route',
  ];
  const yesNo = (name: string, value: string) => [
    { value: 'yes', id: name, checked: value === 'yes' },
    { value: 'no', id: `${name}-no`, checked: value === 'no' },
  ];
  return {
    titleText: `${detail.pupil.firstName} ${detail.pupil.lastName}`,
    done: done && (DONE as readonly string[]).includes(done) ? done : null,
    errors,
    can: {
      ...can,
      // Only the organisation that recorded the concern acts on it; the other one sharing the pupil reads.
      decide: can.canTriage && can.ownsDecisions && !closed,
      refer: can.canRefer && can.ownsDecisions && !closed,
      close: can.canTriage && can.ownsDecisions && !closed,
      reportWithoutDsp: can.canReportWithoutDsp && !can.canRefer && can.ownsDecisions && !closed,
      ownedElsewhere: !can.ownsDecisions && !closed,
    },
    concern: {
      id: detail.id,
      pupil: detail.pupil,
      status: detail.status,
      statusTag: STATUS_TAGS[detail.status] ?? '',
      occurredAt: detail.occurredAt,
      recordedAt: detail.recordedAt,
      recordedBy: detail.recordedBy,
      organisation: detail.organisation,
      category: detail.category,
      issues: detail.issues,
      indicators: detail.indicators.map((code) => ({ code, emergency: isEmergencyIndicator(code) })),
      context: detail.context,
      summary: detail.summary,
      childsWords: detail.childsWords,
      childsWordsLanguage: detail.childsWordsLanguage,
      childsWordsLanguageName: detail.childsWordsLanguage === 'other' ? detail.childsWordsLanguageName : null,
      /** The `lang` attribute of the child's words: only when we know it is English or Welsh. */
      childsWordsLang:
        detail.childsWordsLanguage === 'en' || detail.childsWordsLanguage === 'cy' ? detail.childsWordsLanguage : null,
      evidenceBasis: detail.evidenceBasis,
      actionTaken: detail.actionTaken,
      linkedPupils: detail.linkedPupils,
      bodyMap: bodyMapFigures(detail.bodyMap),
    },
    guidance: {
      ...guidance,
      level: String(guidance.level),
      services: guidance.services,
    },
    decisions: detail.decisions,
    /** The current decision when it is below the guidance: shown beside the guidance with the DSP's reason. */
    belowGuidance: detail.decisions.slice(-1).filter((d) => d.belowGuidance),
    referrals: detail.escalations.map((escalation) => referralOf(escalation, detail.escalations)),
    closure: detail.closure,
    decisionForm: {
      outcomes: DECISION_OUTCOMES.map((value, index) => ({
        value,
        id: index === 0 ? 'outcome' : `outcome-${value}`,
        checked: decision.outcome === value,
        recommended: guidance.route === value,
        below: isBelowGuidance(value, guidance, judgement),
        belowMash: BELOW_MASH.includes(value),
      })),
      reasonableCauseChoices: choices('reasonableCause', decisionJudgement, REASONABLE_CAUSE_ANSWERS),
      rationale: decision.rationale,
      reasonForRoute: decision.reasonForRoute,
      phonedDate: decision.phonedDate,
      phonedTime: decision.phonedTime,
      outcomeError: errorOf('outcome'),
      reasonableCauseError: errorOf('reasonableCause'),
      reasonForRouteError: errorOf('decisionReasonForRoute'),
      phonedError: errorOf('decisionPhonedDate'),
      rationaleError: errorOf('rationale'),
      /** The reason box stays open once it matters (an error) or holds words; script hides it otherwise. */
      reasonOpen: Boolean(errorOf('decisionReasonForRoute') || decision.reasonForRoute.trim()),
    },
    staffReportForm: {
      ...forms.staffReport,
      routes: choices('route', forms.staffReport.route, STAFF_ROUTES),
      consentSoughtChoices: yesNo('consentSought', forms.staffReport.consentSought),
      fieldErrors: Object.fromEntries(
        ['route', 'reasonForRoute', 'consentSought', 'reasonNotSought', 'phonedDate'].map((f) => [f, errorOf(f)]),
      ),
      open: errors.length > 0,
    },
    referralForm: {
      ...referral,
      routes: routeChoices(guidance, referral.route, referralJudgement),
      earlyHelpFirst: earlyHelpFirst(guidance, referralJudgement),
      emergency: guidance.level === 0,
      /** A child at risk: MASH (or 999) first, with the statutory contacts from the directory. */
      statutoryContacts: earlyHelpFirst(guidance, referralJudgement) ? [] : guidance.services,
      reasonRoutes: routeChoices(guidance, referral.route, referralJudgement).filter((r) => r.needsReason),
      reasonableCauseChoices: choices(
        'referralReasonableCause',
        referral.reasonableCause || judgement || '',
        REASONABLE_CAUSE_ANSWERS,
      ),
      consentSoughtChoices: yesNo('consentSought', referral.consentSought),
      consentGivenChoices: yesNo('consentGiven', referral.consentGiven),
      householdRows: referral.householdMembers.slice(0, HOUSEHOLD_ROWS).map((member, index) => ({
        ...member,
        index,
        number: index + 1,
        nameError: errorOf(`householdMembers-${index}-name`),
        relationshipError: errorOf(`householdMembers-${index}-relationship`),
        dateOfBirthError: errorOf(`householdMembers-${index}-dateOfBirth`),
      })),
      fieldErrors: Object.fromEntries(referralFields.map((field) => [field, errorOf(field)])),
      /** The optional Wales referral details start folded, and open when something in them needs fixing. */
      detailsOpen: errors.some(
        (e) =>
          e.field.startsWith('householdMembers') ||
          [
            'parentalResponsibility',
            'address',
            'agenciesInvolved',
            'protectiveMeasures',
            'knownAboutChildAndFamily',
            'additionalNeeds',
            'communicationNeeds',
            'familyLanguage',
            'riskToVisitors',
            'phonedDate',
          ].includes(e.field),
      ),
    },
    closeForm: { rationale: forms.close.closeRationale, rationaleError: errorOf('closeRationale') },
    /** A fresh one-use token per form and page load: a double submit records once, a new page load records anew. */
    submissionKeys: { decision: newId(), referral: newId(), staffReport: newId(), close: newId() },
  };
}
