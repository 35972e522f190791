import { plainToInstance } from 'class-transformer';
import { validate, ValidationError } from 'class-validator';
import { londonDateAndTime, londonInstant } from '../../calendar/london-time';
import { FieldErrors } from '../../common/domain-error';
import { EvaluateGuidanceDto } from '../../guidance/dto/evaluate-guidance.dto';
import {
  CONCERN_CATEGORIES,
  CONCERN_CONTEXTS,
  ConcernCategory,
  EVIDENCE_BASES,
  ISSUE_CODES,
  IssueCode,
  LINKED_PUPIL_ROLES,
  RISK_INDICATORS,
  RiskIndicator,
} from '../../guidance/codes';
import { EMERGENCY_INDICATORS } from '../../guidance/guidance-engine';
import {
  BODY_REGIONS,
  BodyMapView,
  figureCoordinates,
  isBodyMapView,
  isBodyRegion,
  MAX_BODY_MAP_MARKS,
  nearestRegion,
  pointForClick,
  pointForRegion,
} from './body-map';
import { ConcernFormDto } from './dto/concern-form.dto';
import { RecordConcernDto } from './dto/record-concern.dto';
import { EARLIEST_INSTANT, FUTURE_TOLERANCE_MS } from '../../common/instant-validators';

/**
 * The "record a concern" page form: reading what the browser posted, the body-map buttons, and the
 * mapping to RecordConcernDto (whose rules, the API's, decide what is valid). Pure, apart from
 * class-validator.
 */

/** An error shown in the summary and next to its field; `field` is the id of the input it links to. */
export interface FormError {
  field: string;
  key: string;
  row?: number;
  max?: number;
}

export const LINKED_PUPIL_ROWS = 3;

export interface ConcernFormState {
  pupilId: string;
  occurredDate: string;
  occurredTime: string;
  category: string;
  issues: string[];
  indicators: string[];
  context: string;
  summary: string;
  childsWords: string;
  childsWordsLanguage: string;
  evidenceBasis: string;
  actionTaken: string;
  linkedPupils: Array<{ pupilId: string; role: string }>;
  bodyMap: Array<{ view: BodyMapView; x: number; y: number; note: string }>;
  markRegion: string;
  markView: string;
  markNote: string;
}

export type ConcernFormAction =
  | { kind: 'record' }
  | { kind: 'checkGuidance' }
  | { kind: 'addRegion' }
  | { kind: 'click'; view: BodyMapView; x?: string; y?: string }
  | { kind: 'remove'; index: number };

/** Issues in groups a teacher can scan. Every issue code appears exactly once. */
export const ISSUE_GROUPS: Array<{ key: string; issues: IssueCode[] }> = [
  {
    key: 'harm',
    issues: [
      'domestic_abuse',
      'child_sexual_exploitation',
      'child_criminal_exploitation',
      'trafficking',
      'fgm',
      'forced_marriage',
      'radicalisation',
      'harmful_sexual_behaviour',
    ],
  },
  {
    key: 'wellbeing',
    issues: [
      'self_harm',
      'mental_health',
      'substance_misuse',
      'online_safety',
      'bullying',
      'behaviour',
      'anti_social_behaviour',
      'exclusion_risk',
    ],
  },
  { key: 'whereabouts', issues: ['missing_from_home', 'missing_education', 'attendance'] },
  {
    key: 'family',
    issues: [
      'young_carer',
      'parental_substance_misuse',
      'parental_mental_health',
      'housing',
      'financial_hardship',
      'parent_in_custody',
    ],
  },
];

const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const list = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : typeof value === 'string'
      ? [value]
      : [];
const isBlank = (value: string) => value.trim() === '';
/** Blank means "not given"; anything else is kept exactly as typed. */
const given = (value: string): string | undefined => (isBlank(value) ? undefined : value);

export function emptyConcernForm(pupilId: string, now: Date = new Date()): ConcernFormState {
  const { date, time } = londonDateAndTime(now);
  return {
    pupilId,
    occurredDate: date,
    occurredTime: time,
    category: '',
    issues: [],
    indicators: [],
    context: '',
    summary: '',
    childsWords: '',
    childsWordsLanguage: '',
    evidenceBasis: '',
    actionTaken: '',
    linkedPupils: Array.from({ length: LINKED_PUPIL_ROWS }, () => ({ pupilId: '', role: '' })),
    bodyMap: [],
    markRegion: '',
    markView: 'front',
    markNote: '',
  };
}

/** What the browser posted, as the form's state, and which button was pressed. */
export function readConcernForm(dto: ConcernFormDto): { state: ConcernFormState; action: ConcernFormAction } {
  const linked = (dto.linkedPupils ?? [])
    .slice(0, LINKED_PUPIL_ROWS)
    .map((row) => ({ pupilId: text(row?.pupilId), role: text(row?.role) }));
  while (linked.length < LINKED_PUPIL_ROWS) linked.push({ pupilId: '', role: '' });
  const marks: ConcernFormState['bodyMap'] = [];
  for (const mark of dto.bodyMap ?? []) {
    // Marks travel in hidden inputs; one that does not read back as a position was tampered with and is left out.
    const x = Number(mark?.x);
    const y = Number(mark?.y);
    if (
      !isBodyMapView(mark?.view) ||
      isBlank(text(mark?.x)) ||
      isBlank(text(mark?.y)) ||
      !(x >= 0 && x <= 1) ||
      !(y >= 0 && y <= 1)
    )
      continue;
    marks.push({ view: mark.view, x, y, note: text(mark.note) });
  }
  const state: ConcernFormState = {
    pupilId: text(dto.pupilId),
    occurredDate: text(dto.occurredDate),
    occurredTime: text(dto.occurredTime),
    category: text(dto.category),
    issues: list(dto.issues),
    indicators: list(dto.indicators),
    context: text(dto.context),
    summary: text(dto.summary),
    childsWords: text(dto.childsWords),
    childsWordsLanguage: text(dto.childsWordsLanguage),
    evidenceBasis: text(dto.evidenceBasis),
    actionTaken: text(dto.actionTaken),
    linkedPupils: linked,
    bodyMap: marks,
    markRegion: text(dto.markRegion),
    markView: isBodyMapView(dto.markView) ? dto.markView : 'front',
    markNote: text(dto.markNote),
  };
  let action: ConcernFormAction = { kind: 'record' };
  if (dto['bodyMapFront.x'] !== undefined || dto['bodyMapFront.y'] !== undefined)
    action = { kind: 'click', view: 'front', x: dto['bodyMapFront.x'], y: dto['bodyMapFront.y'] };
  else if (dto['bodyMapBack.x'] !== undefined || dto['bodyMapBack.y'] !== undefined)
    action = { kind: 'click', view: 'back', x: dto['bodyMapBack.x'], y: dto['bodyMapBack.y'] };
  else if (dto.removeMark !== undefined && /^\d+$/.test(dto.removeMark))
    action = { kind: 'remove', index: Number(dto.removeMark) };
  else if (dto.action === 'addMark') action = { kind: 'addRegion' };
  else if (dto.action === 'checkGuidance') action = { kind: 'checkGuidance' };
  return { state, action };
}

/**
 * A body-map button: adds a mark where the figure was clicked or at the chosen body area (with the
 * note typed for it), or removes one. Returns the new state, or an error to show.
 */
export function applyBodyMapAction(
  state: ConcernFormState,
  action: Exclude<ConcernFormAction, { kind: 'record' } | { kind: 'checkGuidance' }>,
): { state: ConcernFormState; errors: FormError[] } {
  if (action.kind === 'remove') {
    return { state: { ...state, bodyMap: state.bodyMap.filter((_, index) => index !== action.index) }, errors: [] };
  }
  if (state.bodyMap.length >= MAX_BODY_MAP_MARKS)
    return { state, errors: [{ field: 'markRegion', key: 'bodyMap.errors.tooMany', max: MAX_BODY_MAP_MARKS }] };
  const point =
    action.kind === 'click'
      ? pointForClick(action.view, action.x, action.y)
      : isBodyRegion(state.markRegion)
        ? pointForRegion(state.markRegion, isBodyMapView(state.markView) ? state.markView : 'front')
        : null;
  if (!point) {
    return {
      state,
      errors: [
        {
          field: 'markRegion',
          key: action.kind === 'click' ? 'bodyMap.errors.noPosition' : 'bodyMap.errors.regionMissing',
        },
      ],
    };
  }
  const mark = { view: point.view, x: point.x, y: point.y, note: state.markNote };
  return { state: { ...state, bodyMap: [...state.bodyMap, mark], markRegion: '', markNote: '' }, errors: [] };
}

/**
 * The RecordConcernDto this form describes, validated by the API's own rules. Errors come back keyed
 * by the form's field ids with catalogue keys, ready to show.
 */
export async function toRecordConcernDto(
  state: ConcernFormState,
  now: Date = new Date(),
): Promise<{ dto: RecordConcernDto | null; errors: FormError[] }> {
  const errors: FormError[] = [];
  const occurredAt = londonInstant(state.occurredDate, state.occurredTime);
  if (isBlank(state.occurredDate) || isBlank(state.occurredTime))
    errors.push({ field: 'occurredDate', key: 'concernForm.errors.occurredMissing' });
  else if (!occurredAt) errors.push({ field: 'occurredDate', key: 'concernForm.errors.occurredInvalid' });

  // Rows with a pupil chosen are links; the form row each came from is kept to place its errors.
  const rows: number[] = [];
  const linkedPupils: Array<{ pupilId: string; role: string }> = [];
  const seen = new Set<string>();
  state.linkedPupils.forEach((row, index) => {
    if (isBlank(row.pupilId)) return;
    if (row.pupilId === state.pupilId)
      errors.push({
        field: `linkedPupils-${index}-pupilId`,
        key: 'concernForm.errors.linkedIsSubject',
        row: index + 1,
      });
    else if (seen.has(row.pupilId))
      errors.push({
        field: `linkedPupils-${index}-pupilId`,
        key: 'concernForm.errors.linkedDuplicate',
        row: index + 1,
      });
    seen.add(row.pupilId);
    rows.push(index);
    linkedPupils.push({ pupilId: row.pupilId, role: row.role });
  });

  const plain = {
    pupilId: state.pupilId,
    occurredAt: occurredAt ?? undefined,
    category: given(state.category),
    issues: state.issues,
    indicators: state.indicators,
    context: given(state.context),
    summary: given(state.summary),
    childsWords: given(state.childsWords),
    childsWordsLanguage: given(state.childsWords) !== undefined ? given(state.childsWordsLanguage) : undefined,
    evidenceBasis: given(state.evidenceBasis),
    actionTaken: given(state.actionTaken),
    linkedPupils,
    bodyMap: state.bodyMap.map((mark) => ({ view: mark.view, x: mark.x, y: mark.y, note: given(mark.note) })),
  };
  const dto = plainToInstance(RecordConcernDto, plain);
  const problems = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true });
  for (const problem of flatten(problems)) {
    if (problem.path === 'occurredAt' && errors.some((e) => e.field === 'occurredDate')) continue;
    const error = concernFieldError(problem.path, problem.value, rows, now);
    if (!errors.some((e) => e.field === error.field)) errors.push(error);
  }
  return { dto: errors.length ? null : dto, errors: orderErrors(errors) };
}

/** Errors from the service itself (an InvalidInputError's field paths), placed on the form. */
export function concernFormErrorsFromService(fieldErrors: FieldErrors, state: ConcernFormState): FormError[] {
  const rows = state.linkedPupils
    .map((row, index) => ({ row, index }))
    .filter(({ row }) => !isBlank(row.pupilId))
    .map(({ index }) => index);
  return orderErrors(Object.keys(fieldErrors).map((path) => concernFieldError(path, undefined, rows, new Date())));
}

/** The order the fields appear on the page, so the error summary reads top to bottom. */
const FIELD_ORDER = [
  'occurredDate',
  'summary',
  'childsWords',
  'childsWordsLanguage',
  'evidenceBasis',
  'category',
  'indicators',
  'issues',
  'context',
  'bodyMap',
  'markRegion',
  'linkedPupils',
  'actionTaken',
];
function orderErrors(errors: FormError[]): FormError[] {
  const rank = (field: string) => {
    const index = FIELD_ORDER.findIndex((name) => field === name || field.startsWith(`${name}-`));
    return index === -1 ? FIELD_ORDER.length : index;
  };
  return [...errors].sort((a, b) => rank(a.field) - rank(b.field) || a.field.localeCompare(b.field));
}

function flatten(errors: ValidationError[], parent = ''): Array<{ path: string; value: unknown }> {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ path, value: error.value }] : [];
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

const TEXT_LIMITS: Record<string, number> = { summary: 10000, childsWords: 10000, actionTaken: 10000 };

function textError(field: string, value: unknown, max: number, missingKey: string): FormError {
  if (typeof value !== 'string' || value.length === 0) return { field, key: missingKey };
  if (value.length > max) return { field, key: 'concernForm.errors.tooLong', max };
  return { field, key: 'concernForm.errors.controlCharacters' };
}

function concernFieldError(path: string, value: unknown, rows: number[], now: Date): FormError {
  const linked = /^linkedPupils\.(\d+)(?:\.(pupilId|role))?$/.exec(path);
  if (linked) {
    const row = rows[Number(linked[1])] ?? 0;
    if (linked[2] === 'role')
      return { field: `linkedPupils-${row}-role`, key: 'concernForm.errors.linkedRoleMissing', row: row + 1 };
    return { field: `linkedPupils-${row}-pupilId`, key: 'concernForm.errors.linkedUnknown', row: row + 1 };
  }
  const mark = /^bodyMap\.(\d+)\.note$/.exec(path);
  if (mark)
    return { field: `bodyMap-${mark[1]}-note`, key: 'bodyMap.errors.noteTooLong', row: Number(mark[1]) + 1, max: 500 };
  if (path.startsWith('bodyMap'))
    return {
      field: 'markRegion',
      key: path === 'bodyMap' ? 'bodyMap.errors.tooMany' : 'bodyMap.errors.invalid',
      max: MAX_BODY_MAP_MARKS,
    };
  switch (path) {
    case 'occurredAt': {
      const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
      if (Number.isFinite(time) && time > now.getTime() + FUTURE_TOLERANCE_MS)
        return { field: 'occurredDate', key: 'concernForm.errors.occurredFuture' };
      if (Number.isFinite(time) && time < EARLIEST_INSTANT)
        return { field: 'occurredDate', key: 'concernForm.errors.occurredTooEarly' };
      return { field: 'occurredDate', key: 'concernForm.errors.occurredInvalid' };
    }
    case 'category':
      return {
        field: 'category',
        key: value === undefined ? 'concernForm.errors.categoryMissing' : 'concernForm.errors.invalidChoice',
      };
    case 'evidenceBasis':
      return {
        field: 'evidenceBasis',
        key: value === undefined ? 'concernForm.errors.evidenceBasisMissing' : 'concernForm.errors.invalidChoice',
      };
    case 'childsWordsLanguage':
      return { field: 'childsWordsLanguage', key: 'concernForm.errors.childsWordsLanguageMissing' };
    case 'summary':
      return textError('summary', value, TEXT_LIMITS.summary, 'concernForm.errors.summaryMissing');
    case 'childsWords':
    case 'actionTaken':
      return textError(path, value, TEXT_LIMITS[path], 'concernForm.errors.controlCharacters');
    case 'issues':
    case 'indicators':
    case 'context':
      return { field: path, key: 'concernForm.errors.invalidChoice' };
    default:
      return { field: 'summary', key: 'concernForm.errors.invalid' };
  }
}

// ---------------------------------------------------------------------------------------------
// The view model of the form

export interface RollPupil {
  id: string;
  firstName: string;
  lastName: string;
  yearGroup: number;
}

const choice = (name: string, values: readonly string[], selected: (value: string) => boolean) =>
  values.map((value, index) => ({ value, id: index === 0 ? name : `${name}-${value}`, checked: selected(value) }));

/** Everything the form template shows: choices with their state, marks placed on the figures, errors by field. */
export function concernFormView(state: ConcernFormState, roll: RollPupil[], errors: FormError[]) {
  const errorOf = (field: string) => errors.find((e) => e.field === field) ?? null;
  const isEmergency = (code: string) => (EMERGENCY_INDICATORS as readonly string[]).includes(code);
  const others = roll.filter((pupil) => pupil.id !== state.pupilId);
  const marks = state.bodyMap.map((mark, index) => ({
    index,
    number: index + 1,
    view: mark.view,
    x: mark.x,
    y: mark.y,
    note: mark.note,
    region: nearestRegion(mark.view, mark.x, mark.y),
    noteId: `bodyMap-${index}-note`,
    error: errorOf(`bodyMap-${index}-note`),
    ...figureCoordinates(mark.x, mark.y),
  }));
  return {
    form: state,
    errors,
    fieldErrors: Object.fromEntries(
      [
        'occurredDate',
        'category',
        'issues',
        'indicators',
        'context',
        'summary',
        'childsWords',
        'childsWordsLanguage',
        'evidenceBasis',
        'actionTaken',
        'markRegion',
      ].map((f) => [f, errorOf(f)]),
    ),
    categories: choice('category', CONCERN_CATEGORIES, (v) => state.category === v),
    issueGroups: ISSUE_GROUPS.map((group) => ({
      key: group.key,
      issues: group.issues.map((value) => ({
        value,
        id: value === ISSUE_CODES[0] ? 'issues' : `issues-${value}`,
        checked: state.issues.includes(value),
      })),
    })),
    emergencyIndicators: RISK_INDICATORS.filter(isEmergency).map((value, index) => ({
      value,
      id: index === 0 ? 'indicators' : `indicators-${value}`,
      checked: state.indicators.includes(value),
    })),
    riskIndicators: RISK_INDICATORS.filter((code: RiskIndicator) => !isEmergency(code)).map((value) => ({
      value,
      id: `indicators-${value}`,
      checked: state.indicators.includes(value),
    })),
    contexts: choice('context', CONCERN_CONTEXTS, (v) => state.context === v),
    childsWordsLanguages: choice('childsWordsLanguage', ['en', 'cy', 'other'], (v) => state.childsWordsLanguage === v),
    evidenceBases: choice('evidenceBasis', EVIDENCE_BASES, (v) => state.evidenceBasis === v),
    linkedRows: state.linkedPupils.map((row, index) => ({
      index,
      number: index + 1,
      pupilError: errorOf(`linkedPupils-${index}-pupilId`),
      roleError: errorOf(`linkedPupils-${index}-role`),
      pupils: others.map((pupil) => ({ ...pupil, selected: pupil.id === row.pupilId })),
      roles: LINKED_PUPIL_ROLES.map((role) => ({ value: role, selected: role === row.role })),
    })),
    hasRoll: others.length > 0,
    bodyMap: {
      marks,
      front: marks.filter((m) => m.view === 'front'),
      back: marks.filter((m) => m.view === 'back'),
      regions: BODY_REGIONS.map((value) => ({ value, selected: value === state.markRegion })),
      views: choice('markView', ['front', 'back'], (v) => state.markView === v),
    },
  };
}

/**
 * The draft as the guidance needs it (category, issues, indicators, when), for "Check the guidance"
 * without JavaScript; null until a category is chosen. Unknown codes are dropped (a tampered form).
 */
export function draftForGuidance(state: ConcernFormState): EvaluateGuidanceDto | null {
  if (!(CONCERN_CATEGORIES as readonly string[]).includes(state.category)) return null;
  const occurredAt = londonInstant(state.occurredDate, state.occurredTime);
  return {
    category: state.category as ConcernCategory,
    issues: state.issues.filter((code): code is IssueCode => (ISSUE_CODES as readonly string[]).includes(code)),
    indicators: state.indicators.filter((code): code is RiskIndicator =>
      (RISK_INDICATORS as readonly string[]).includes(code),
    ),
    pupilId: state.pupilId,
    occurredAt: occurredAt && Date.parse(occurredAt) <= Date.now() ? occurredAt : undefined,
  };
}
