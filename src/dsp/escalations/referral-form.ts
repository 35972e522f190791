import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { londonInstant } from '../../calendar/london-time';
import { FieldErrors } from '../../common/domain-error';
import { ESCALATION_ROUTES, EscalationRoute } from '../../guidance/codes';
import { GuidanceAnswer, isAgainstRecommendation } from '../../guidance/guidance-engine';
import type { FormError } from '../concerns/concern-form';
import { EARLIEST_INSTANT, FUTURE_TOLERANCE_MS } from '../../common/instant-validators';
import { SendEscalationDto } from './dto/send-escalation.dto';
import { ReferralFormDto } from './dto/referral-form.dto';
import { MIN_REASON_FOR_ROUTE } from './escalations.service';

/**
 * The referral form on the concern page: what the DSP typed, its mapping to SendEscalationDto (the
 * API's rules decide what is valid; the service's escalation rules answer 422), and the choices it shows.
 */

export const HOUSEHOLD_ROWS = 4;

export interface ReferralFormState {
  route: string;
  reasonForRoute: string;
  consentSought: string;
  consentGiven: string;
  consentGivenBy: string;
  reasonNotSought: string;
  householdMembers: Array<{ name: string; relationship: string; dateOfBirth: string }>;
  parentalResponsibility: string;
  agenciesInvolved: string;
  protectiveMeasures: string;
  knownAboutChildAndFamily: string;
  additionalNeeds: string;
  communicationNeeds: string;
  riskToVisitors: string;
  phonedDate: string;
  phonedTime: string;
}

const TEXT_FIELDS = [
  'parentalResponsibility',
  'protectiveMeasures',
  'knownAboutChildAndFamily',
  'additionalNeeds',
  'communicationNeeds',
  'riskToVisitors',
] as const;

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const isBlank = (value: string) => value.trim() === '';
const given = (value: string): string | undefined => (isBlank(value) ? undefined : value);
const yesNo = (value: string): boolean | undefined => (value === 'yes' ? true : value === 'no' ? false : undefined);

export function emptyReferralForm(): ReferralFormState {
  return readReferralForm({});
}

export function readReferralForm(dto: ReferralFormDto): ReferralFormState {
  const members = (dto.householdMembers ?? [])
    .slice(0, HOUSEHOLD_ROWS)
    .map((m) => ({ name: text(m?.name), relationship: text(m?.relationship), dateOfBirth: text(m?.dateOfBirth) }));
  while (members.length < HOUSEHOLD_ROWS) members.push({ name: '', relationship: '', dateOfBirth: '' });
  return {
    route: text(dto.route),
    reasonForRoute: text(dto.reasonForRoute),
    consentSought: text(dto.consentSought),
    consentGiven: text(dto.consentGiven),
    consentGivenBy: text(dto.consentGivenBy),
    reasonNotSought: text(dto.reasonNotSought),
    householdMembers: members,
    parentalResponsibility: text(dto.parentalResponsibility),
    agenciesInvolved: text(dto.agenciesInvolved),
    protectiveMeasures: text(dto.protectiveMeasures),
    knownAboutChildAndFamily: text(dto.knownAboutChildAndFamily),
    additionalNeeds: text(dto.additionalNeeds),
    communicationNeeds: text(dto.communicationNeeds),
    riskToVisitors: text(dto.riskToVisitors),
    phonedDate: text(dto.phonedDate),
    phonedTime: text(dto.phonedTime),
  };
}

/** One agency a line; blank lines are skipped, each line is kept as typed. */
export function agencyLines(value: string): string[] {
  return value.split(/\r?\n/).filter((line) => !isBlank(line));
}

/** The SendEscalationDto the form describes, checked with the API's validation (400-type problems). */
export async function toSendEscalationDto(
  state: ReferralFormState,
  now: Date = new Date(),
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

  const plain = {
    route: given(state.route),
    reasonForRoute: given(state.reasonForRoute),
    consent: {
      sought: yesNo(state.consentSought),
      given: yesNo(state.consentGiven),
      givenBy: given(state.consentGivenBy),
      reasonNotSought: given(state.reasonNotSought),
    },
    referral,
  };
  const dto = plainToInstance(SendEscalationDto, plain);
  const problems = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  for (const problem of flatten(problems)) {
    const error = referralFieldError(problem.path, problem.value, rows, now);
    if (error && !errors.some((e) => e.field === error.field)) errors.push(error);
  }
  return { dto: errors.length ? null : dto, errors };
}

/** The escalation rules' 422s (RuleBrokenError.errors, keyed by the field the rule is about), placed on the form. */
export function referralFormErrorsFromRules(fieldErrors: FieldErrors): FormError[] {
  return Object.keys(fieldErrors).map((path) => {
    switch (path) {
      case 'reasonForRoute':
        return { field: 'reasonForRoute', key: 'concernPage.errors.reasonForRoute', max: MIN_REASON_FOR_ROUTE };
      case 'consent.given':
        return { field: 'consentGiven', key: 'concernPage.errors.consentGivenRequired' };
      case 'consent.givenBy':
        return { field: 'consentGivenBy', key: 'concernPage.errors.consentGivenByRequired' };
      case 'consent.reasonNotSought':
        return { field: 'reasonNotSought', key: 'concernPage.errors.reasonNotSoughtRequired' };
      case 'status':
        return { field: 'route', key: 'concernPage.errors.closed' };
      default:
        return { field: 'route', key: 'concernPage.errors.invalid' };
    }
  });
}

function flatten(errors: ValidationError[], parent = ''): Array<{ path: string; value: unknown }> {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ path, value: error.value }] : [];
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

const LIMITS: Record<string, number> = {
  reasonForRoute: 5000,
  givenBy: 200,
  reasonNotSought: 2000,
  parentalResponsibility: 2000,
  protectiveMeasures: 5000,
  knownAboutChildAndFamily: 10000,
  additionalNeeds: 5000,
  communicationNeeds: 2000,
  riskToVisitors: 2000,
  name: 200,
  relationship: 100,
  agenciesInvolved: 300,
};

function textProblem(field: string, value: unknown, limit: number, row?: number): FormError {
  if (typeof value === 'string' && value.length > limit)
    return { field, key: 'concernPage.errors.tooLong', max: limit, row };
  return { field, key: 'concernPage.errors.controlCharacters', row };
}

function referralFieldError(path: string, value: unknown, rows: number[], now: Date): FormError | null {
  const member = /^referral\.householdMembers\.(\d+)\.(name|relationship|dateOfBirth)$/.exec(path);
  if (member) {
    const row = rows[Number(member[1])] ?? 0;
    const field = `householdMembers-${row}-${member[2]}`;
    if (member[2] === 'dateOfBirth') return { field, key: 'concernPage.errors.memberDateOfBirthInvalid', row: row + 1 };
    if (value === undefined) return null; // already reported as missing
    return textProblem(field, value, LIMITS[member[2]], row + 1);
  }
  if (path.startsWith('referral.agenciesInvolved')) {
    const lines = Array.isArray(value) ? value : [];
    if (lines.length > 30) return { field: 'agenciesInvolved', key: 'concernPage.errors.tooManyAgencies', max: 30 };
    if (lines.some((line) => typeof line === 'string' && line.length > LIMITS.agenciesInvolved))
      return { field: 'agenciesInvolved', key: 'concernPage.errors.agencyTooLong', max: LIMITS.agenciesInvolved };
    return { field: 'agenciesInvolved', key: 'concernPage.errors.controlCharacters' };
  }
  if (path === 'referral.householdMembers')
    return { field: 'householdMembers-0-name', key: 'concernPage.errors.invalid' };
  if (path === 'referral.phonedAt') {
    const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    if (Number.isFinite(time) && time > now.getTime() + FUTURE_TOLERANCE_MS)
      return { field: 'phonedDate', key: 'concernPage.errors.phonedFuture' };
    if (Number.isFinite(time) && time < EARLIEST_INSTANT)
      return { field: 'phonedDate', key: 'concernPage.errors.phonedInvalid' };
    return { field: 'phonedDate', key: 'concernPage.errors.phonedInvalid' };
  }
  const referralText = /^referral\.(\w+)$/.exec(path);
  if (referralText && LIMITS[referralText[1]]) return textProblem(referralText[1], value, LIMITS[referralText[1]]);
  switch (path) {
    case 'route':
      return value === undefined ? null : { field: 'route', key: 'concernPage.errors.invalidChoice' };
    case 'reasonForRoute':
      return textProblem('reasonForRoute', value, LIMITS.reasonForRoute);
    case 'consent.sought':
      return null; // reported as consentSoughtMissing
    case 'consent.given':
      return { field: 'consentGiven', key: 'concernPage.errors.invalidChoice' };
    case 'consent.givenBy':
      return textProblem('consentGivenBy', value, LIMITS.givenBy);
    case 'consent.reasonNotSought':
      return textProblem('reasonNotSought', value, LIMITS.reasonNotSought);
    default:
      return { field: 'route', key: 'concernPage.errors.invalid' };
  }
}

/** Routes in the order the form offers them: for a level 1–3 concern early help comes first, before MASH. */
export function routeChoices(guidance: Pick<GuidanceAnswer, 'level' | 'route'>, selected: string) {
  const order: EscalationRoute[] =
    guidance.level === 0
      ? ['police', 'mash', 'designated_officer', 'early_help']
      : guidance.level === 4
        ? guidance.route === 'designated_officer'
          ? ['designated_officer', 'mash', 'police', 'early_help']
          : ['mash', 'designated_officer', 'police', 'early_help']
        : ['early_help', 'mash', 'designated_officer', 'police'];
  return order
    .filter((route) => (ESCALATION_ROUTES as readonly string[]).includes(route))
    .map((route, index) => ({
      value: route,
      id: index === 0 ? 'route' : `route-${route}`,
      checked: selected === route,
      recommended: guidance.route === route,
      needsReason: isAgainstRecommendation(route, guidance),
    }));
}
