import { londonInstant } from '../../calendar/london-time';
import { ESCALATION_ROUTES, EscalationRoute, REASONABLE_CAUSE_ANSWERS, ReasonableCause } from '../../guidance/codes';
import { Guidance, isBelowGuidance } from '../../guidance/guidance-engine';
import {
  addOnce,
  FieldRule,
  FormError,
  formErrorOf,
  FormSpec,
  given,
  inPageOrder,
  isBlank,
  lines,
  rows as readRows,
  text,
  validateAs,
  yesNo,
} from '../../web/forms';
import { SendEscalationDto } from './dto/send-escalation.dto';
import { HOUSEHOLD_ROWS, ReferralFormDto } from './dto/referral-form.dto';
import { EscalationError, MIN_REASON_FOR_ROUTE } from './escalation-errors';
import { brokenEscalationRules } from './escalation-rules';

/**
 * The referral form on the concern page: what the DSP typed, its mapping to SendEscalationDto (the
 * API's rules decide what is valid; the service's escalation rules answer 422), and the choices it shows.
 */

export { HOUSEHOLD_ROWS };

export interface ReferralFormState {
  route: string;
  /** The threshold judgement, prefilled from the concern's (its latest decision's answer). */
  reasonableCause: string;
  reasonForRoute: string;
  consentSought: string;
  consentGiven: string;
  consentGivenBy: string;
  reasonNotSought: string;
  householdMembers: Array<{ name: string; relationship: string; dateOfBirth: string }>;
  parentalResponsibility: string;
  address: string;
  agenciesInvolved: string;
  protectiveMeasures: string;
  knownAboutChildAndFamily: string;
  additionalNeeds: string;
  communicationNeeds: string;
  riskToVisitors: string;
  familyLanguage: string;
  phonedDate: string;
  phonedTime: string;
  /** Filled in from the roll import's contacts and address (the page says so; all editable). */
  prefilled?: boolean;
}

const TEXT_FIELDS = [
  'parentalResponsibility',
  'address',
  'protectiveMeasures',
  'knownAboutChildAndFamily',
  'additionalNeeds',
  'communicationNeeds',
  'riskToVisitors',
  'familyLanguage',
] as const;

export function emptyReferralForm(): ReferralFormState {
  return readReferralForm({});
}

export function readReferralForm(dto: ReferralFormDto): ReferralFormState {
  const members = readRows(dto.householdMembers, HOUSEHOLD_ROWS, (row) => {
    const m = (row ?? {}) as { name?: unknown; relationship?: unknown; dateOfBirth?: unknown };
    return { name: text(m.name), relationship: text(m.relationship), dateOfBirth: text(m.dateOfBirth) };
  });
  return {
    route: text(dto.route),
    reasonableCause: text(dto.reasonableCause),
    reasonForRoute: text(dto.reasonForRoute),
    consentSought: text(dto.consentSought),
    consentGiven: text(dto.consentGiven),
    consentGivenBy: text(dto.consentGivenBy),
    reasonNotSought: text(dto.reasonNotSought),
    householdMembers: members,
    parentalResponsibility: text(dto.parentalResponsibility),
    address: text(dto.address),
    agenciesInvolved: text(dto.agenciesInvolved),
    protectiveMeasures: text(dto.protectiveMeasures),
    knownAboutChildAndFamily: text(dto.knownAboutChildAndFamily),
    additionalNeeds: text(dto.additionalNeeds),
    communicationNeeds: text(dto.communicationNeeds),
    riskToVisitors: text(dto.riskToVisitors),
    familyLanguage: text(dto.familyLanguage),
    phonedDate: text(dto.phonedDate),
    phonedTime: text(dto.phonedTime),
  };
}

/** What the roll import holds about a pupil's home, as the referral form pre-fills it. */
export interface HomeDetails {
  address: {
    addressLine1: string | null;
    addressLine2: string | null;
    town: string | null;
    postcode: string | null;
  } | null;
  contacts: Array<{ name: string; relationship: string | null; parentalResponsibility: boolean | null }>;
}

/**
 * A contact that is an organisation rather than a person in the home: a local authority as corporate
 * parent, a council, social services, an agency. It may hold parental responsibility (a looked-after
 * child's), but it is never a household member. Read from the relationship or the name, English or Welsh.
 */
const ORGANISATION_CONTACT =
  /\b(local authority|corporate parent|council|social services|social work(er|ers)?|agency|authority|children'?s services|awdurdod lleol|rhiant corfforaethol|cyngor|gwasanaethau cymdeithasol|gweithiwr cymdeithasol|asiantaeth|awdurdod)\b|^(LA|LAA|SWR|SW)$/i;

export function isOrganisationContact(contact: { name: string; relationship: string | null }): boolean {
  return (
    ORGANISATION_CONTACT.test(contact.relationship?.trim() ?? '') ||
    /\b(council|cyngor|authority|awdurdod|services|gwasanaethau)\b/i.test(contact.name)
  );
}

/**
 * A fresh referral form with the household members (up to the form's rows; people only, never an
 * organisation such as a local authority that is the child's corporate parent), who has parental
 * responsibility and the address filled in from the roll import's contacts (docs/accounts.md, "roll").
 * All of it stays editable; nothing is sent until the DSP sends it. Unchanged when nothing is held.
 */
export function prefillReferralForm(state: ReferralFormState, home: HomeDetails | null): ReferralFormState {
  if (!home) return state;
  const members = home.contacts.filter((contact) => !isOrganisationContact(contact)).slice(0, HOUSEHOLD_ROWS);
  const householdMembers = state.householdMembers.map((row, index) =>
    members[index]
      ? { name: members[index].name, relationship: members[index].relationship ?? '', dateOfBirth: '' }
      : row,
  );
  const withResponsibility = home.contacts.filter((contact) => contact.parentalResponsibility === true);
  const parentalResponsibility = withResponsibility
    .map((contact) => (contact.relationship ? `${contact.name} (${contact.relationship})` : contact.name))
    .join('\n');
  const address = home.address
    ? [home.address.addressLine1, home.address.addressLine2, home.address.town, home.address.postcode]
        .filter((part): part is string => Boolean(part))
        .join('\n')
    : '';
  return {
    ...state,
    householdMembers,
    parentalResponsibility: state.parentalResponsibility || parentalResponsibility,
    address: state.address || address,
    prefilled: true,
  };
}

/** One agency a line; blank lines are skipped, each line is kept as typed. */
export const agencyLines = lines;

/** SendEscalationDto's fields as this form shows them; `rows` maps a DTO household member to its form row. */
function referralFormSpec(rows: number[]): FormSpec {
  const row = ([index]: number[]) => rows[index] ?? 0;
  const member = (part: string, keys: FieldRule['keys']): FieldRule => ({
    field: (indexes) => `householdMembers-${row(indexes)}-${part}`,
    row: (indexes) => row(indexes) + 1,
    keys,
  });
  return {
    common: {
      tooLong: 'concernPage.errors.tooLong',
      controlCharacters: 'concernPage.errors.controlCharacters',
      invalidChoice: 'concernPage.errors.invalidChoice',
      otherwise: 'concernPage.errors.invalid',
    },
    fallbackField: 'route',
    fields: {
      route: { keys: { missing: null } }, // reported as routeMissing
      reasonableCause: { field: 'referralReasonableCause' },
      reasonForRoute: {},
      'consent.sought': { keys: { otherwise: null } }, // reported as consentSoughtMissing
      'consent.given': { field: 'consentGiven', keys: { otherwise: 'concernPage.errors.invalidChoice' } },
      'consent.givenBy': { field: 'consentGivenBy' },
      'consent.reasonNotSought': { field: 'reasonNotSought' },
      'referral.householdMembers': {
        field: 'householdMembers-0-name',
        keys: { otherwise: 'concernPage.errors.invalid' },
      },
      'referral.householdMembers.*.name': member('name', { missing: null }),
      'referral.householdMembers.*.relationship': member('relationship', { missing: null }),
      'referral.householdMembers.*.dateOfBirth': member('dateOfBirth', {
        otherwise: 'concernPage.errors.memberDateOfBirthInvalid',
      }),
      'referral.agenciesInvolved': {
        field: 'agenciesInvolved',
        keys: { tooMany: 'concernPage.errors.tooManyAgencies', tooLong: 'concernPage.errors.agencyTooLong' },
      },
      'referral.phonedAt': {
        field: 'phonedDate',
        keys: { future: 'concernPage.errors.phonedFuture', otherwise: 'concernPage.errors.phonedInvalid' },
      },
      ...Object.fromEntries(TEXT_FIELDS.map((field) => [`referral.${field}`, { field }])),
    },
  };
}

/** The SendEscalationDto the form describes, checked with the API's validation (400-type problems). */
export async function toSendEscalationDto(
  state: ReferralFormState,
  options: { dspUnavailable?: boolean } = {},
): Promise<{ dto: SendEscalationDto | null; errors: FormError[] }> {
  const errors: FormError[] = [];
  if (isBlank(state.route)) errors.push({ field: 'route', key: 'concernPage.errors.routeMissing' });
  if (yesNo(state.consentSought) === undefined)
    errors.push({ field: 'consentSought', key: 'concernPage.errors.consentSoughtMissing' });

  const rows: number[] = [];
  const householdMembers: Array<{ name?: string; relationship?: string; dateOfBirth?: string }> = [];
  state.householdMembers.forEach((member, index) => {
    if (isBlank(member.name) && isBlank(member.relationship) && isBlank(member.dateOfBirth)) return;
    if (isBlank(member.name))
      errors.push({
        field: `householdMembers-${index}-name`,
        key: 'concernPage.errors.memberNameMissing',
        row: index + 1,
      });
    if (isBlank(member.relationship))
      errors.push({
        field: `householdMembers-${index}-relationship`,
        key: 'concernPage.errors.memberRelationshipMissing',
        row: index + 1,
      });
    rows.push(index);
    householdMembers.push({
      name: given(member.name),
      relationship: given(member.relationship),
      dateOfBirth: given(member.dateOfBirth),
    });
  });

  let phonedAt: string | undefined;
  if (!isBlank(state.phonedDate) || !isBlank(state.phonedTime)) {
    phonedAt = londonInstant(state.phonedDate, state.phonedTime) ?? undefined;
    if (!phonedAt)
      errors.push({
        field: 'phonedDate',
        key:
          isBlank(state.phonedDate) || isBlank(state.phonedTime)
            ? 'concernPage.errors.phonedIncomplete'
            : 'concernPage.errors.phonedInvalid',
      });
  }

  const referral: Record<string, unknown> = {};
  if (householdMembers.length) referral.householdMembers = householdMembers;
  const agencies = agencyLines(state.agenciesInvolved);
  if (agencies.length) referral.agenciesInvolved = agencies;
  for (const field of TEXT_FIELDS) if (given(state[field]) !== undefined) referral[field] = state[field];
  if (phonedAt) referral.phonedAt = phonedAt;

  const { dto, problems } = await validateAs(SendEscalationDto, {
    route: given(state.route),
    reasonableCause: given(state.reasonableCause),
    ...(options.dspUnavailable ? { dspUnavailable: true } : {}),
    reasonForRoute: given(state.reasonForRoute),
    consent: {
      sought: yesNo(state.consentSought),
      given: yesNo(state.consentGiven),
      givenBy: given(state.consentGivenBy),
      reasonNotSought: given(state.reasonNotSought),
    },
    referral,
  });
  const spec = referralFormSpec(rows);
  for (const problem of problems) addOnce(errors, formErrorOf(problem, spec));
  return { dto: errors.length ? null : dto, errors };
}

/** The threshold judgement as the form reads it: one of the codes, else not answered. */
export function reasonableCauseOf(value: string): ReasonableCause | null {
  return REASONABLE_CAUSE_ANSWERS.find((answer) => answer === value) ?? null;
}

/**
 * Whether the form opens with early help and the matching local services: only for a level 1–3 concern
 * when the DSP has not said there is reasonable cause to suspect. A child at risk (level 4 or 0, or
 * "yes") gets MASH first and the statutory contacts, never "consider early help first".
 */
export function earlyHelpFirst(guidance: Pick<Guidance, 'level'>, reasonableCause: ReasonableCause | null): boolean {
  return guidance.level !== 0 && guidance.level !== 4 && reasonableCause !== 'yes';
}

/**
 * Routes in the order the form offers them: for a level 1–3 concern (no "yes") early help comes first;
 * for a child at risk MASH (or the designated officer for an allegation against staff) comes first and
 * is chosen already, early help last. `needsReason`: below the guidance (a reason is required).
 */
export function routeChoices(
  guidance: Pick<Guidance, 'level' | 'route'>,
  selected: string,
  reasonableCause: ReasonableCause | null = null,
) {
  const atRisk = !earlyHelpFirst(guidance, reasonableCause);
  const order: EscalationRoute[] = !atRisk
    ? ['early_help', 'mash', 'designated_officer', 'police']
    : guidance.route === 'designated_officer'
      ? ['designated_officer', 'mash', 'police', 'early_help']
      : ['mash', 'police', 'designated_officer', 'early_help'];
  const chosen = selected || (atRisk ? order[0] : '');
  return order
    .filter((route) => (ESCALATION_ROUTES as readonly string[]).includes(route))
    .map((route, index) => ({
      value: route,
      id: index === 0 ? 'route' : `route-${route}`,
      checked: chosen === route,
      recommended: guidance.route === route || (guidance.level === 0 && route === 'mash'),
      needsReason: isBelowGuidance(route, guidance, reasonableCause),
    }));
}

/** The form's fields in page order, so the error summary reads top to bottom. */
export const REFERRAL_FIELD_ORDER = [
  'route',
  'referralReasonableCause',
  'reasonForRoute',
  'consentSought',
  'consentGiven',
  'consentGivenBy',
  'reasonNotSought',
  'householdMembers',
  'parentalResponsibility',
  'agenciesInvolved',
  'protectiveMeasures',
  'knownAboutChildAndFamily',
  'additionalNeeds',
  'communicationNeeds',
  'riskToVisitors',
  'familyLanguage',
  'phonedDate',
] as const;

/**
 * The escalation rules the form as typed already breaks, given the concern's guidance: shown with the
 * field problems (400) so the DSP sees everything to fix at once, not one rule per post.
 */
export function referralRuleErrorsOf(
  state: ReferralFormState,
  guidance: Pick<Guidance, 'level' | 'route'>,
): FormError[] {
  const route = ESCALATION_ROUTES.find((known) => known === state.route);
  if (!route) return [];
  const judgement = reasonableCauseOf(state.reasonableCause);
  const broken = brokenEscalationRules(
    {
      route,
      reasonForRoute: given(state.reasonForRoute),
      consent: {
        sought: yesNo(state.consentSought),
        given: yesNo(state.consentGiven),
        givenBy: given(state.consentGivenBy),
        reasonNotSought: given(state.reasonNotSought),
      },
    },
    isBelowGuidance(route, guidance, judgement),
  );
  return broken.map(referralRuleError);
}

/** Field problems and rule problems together: one message a field (the field's own first), in page order. */
export function withRuleErrors(fieldErrors: readonly FormError[], ruleErrors: readonly FormError[]): FormError[] {
  const all = [...fieldErrors];
  for (const error of ruleErrors) addOnce(all, error);
  return inPageOrder(all, REFERRAL_FIELD_ORDER);
}

/** A broken escalation rule as the referral form shows it: on the field the rule is about. */
export function referralRuleError(reason: EscalationError): FormError {
  switch (reason) {
    case EscalationError.OpenReferralOnRoute:
      return { field: 'route', key: 'concernPage.errors.referralAlreadyOpen' };
    case EscalationError.ReasonRequiredAgainstRecommendation:
      return { field: 'reasonForRoute', key: 'concernPage.errors.reasonForRoute', max: MIN_REASON_FOR_ROUTE };
    case EscalationError.EarlyHelpNeedsConsent:
      return { field: 'consentGiven', key: 'concernPage.errors.consentGivenRequired' };
    case EscalationError.EarlyHelpNeedsConsentGiver:
      return { field: 'consentGivenBy', key: 'concernPage.errors.consentGivenByRequired' };
    case EscalationError.MashConsentNotSoughtNeedsReason:
      return { field: 'reasonNotSought', key: 'concernPage.errors.reasonNotSoughtRequired' };
    case EscalationError.DspUnavailableRoute:
      return { field: 'route', key: 'concernPage.errors.staffRoute' };
  }
}
