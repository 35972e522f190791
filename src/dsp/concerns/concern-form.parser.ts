import { londonDateAndTime, londonInstant } from '../../calendar/london-time';
import { newId } from '../../common/ids';
import { FieldErrors } from '../../common/domain-error';
import { EvaluateGuidanceDto } from '../../guidance/dto/evaluate-guidance.dto';
import {
  CONCERN_CATEGORIES,
  ConcernCategory,
  ISSUE_CODES,
  IssueCode,
  RISK_INDICATORS,
  RiskIndicator,
} from '../../guidance/codes';
import {
  addOnce,
  checkboxes,
  FieldProblem,
  FormError,
  formErrorOf,
  FormSpec,
  given,
  inPageOrder,
  isBlank,
  problemsOfFieldErrors,
  rows,
  text,
  validateAs,
} from '../../web/forms';
import { BodyMapView, isBodyMapView } from './body-map';
import { ConcernFormDto, LINKED_PUPIL_ROWS } from './dto/concern-form.dto';
import { RecordConcernDto } from './dto/record-concern.dto';

/**
 * The "record a concern" page form, part one: what the browser posted as the form's state, which button
 * was pressed, and the RecordConcernDto the form describes (whose rules, the API's, decide what is valid).
 * The body-map buttons are concern-form.body-map.ts; what the template shows is concern-form.view.ts.
 */

export { LINKED_PUPIL_ROWS };

export interface ConcernFormState {
  pupilId: string;
  /** The form's one-use token (issued with the empty form, carried while it comes back with errors). */
  submissionKey: string;
  occurredDate: string;
  occurredTime: string;
  category: string;
  issues: string[];
  indicators: string[];
  context: string;
  summary: string;
  childsWords: string;
  childsWordsLanguage: string;
  childsWordsLanguageName: string;
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

export function emptyConcernForm(pupilId: string, now: Date = new Date()): ConcernFormState {
  const { date, time } = londonDateAndTime(now);
  return {
    ...readConcernForm({ pupilId }).state,
    submissionKey: newId(),
    occurredDate: date,
    occurredTime: time,
  };
}

const linkedRow = (row: unknown) => {
  const posted = (row ?? {}) as { pupilId?: unknown; role?: unknown };
  return { pupilId: text(posted.pupilId), role: text(posted.role) };
};

/** Marks travel in hidden inputs; one that does not read back as a position was tampered with and is left out. */
function marksOf(posted: ConcernFormDto['bodyMap']): ConcernFormState['bodyMap'] {
  const marks: ConcernFormState['bodyMap'] = [];
  for (const mark of posted ?? []) {
    const x = Number(mark?.x);
    const y = Number(mark?.y);
    if (!isBodyMapView(mark?.view) || isBlank(text(mark?.x)) || isBlank(text(mark?.y))) continue;
    if (!(x >= 0 && x <= 1) || !(y >= 0 && y <= 1)) continue;
    marks.push({ view: mark.view, x, y, note: text(mark.note) });
  }
  return marks;
}

function actionOf(dto: ConcernFormDto): ConcernFormAction {
  if (dto['bodyMapFront.x'] !== undefined || dto['bodyMapFront.y'] !== undefined)
    return { kind: 'click', view: 'front', x: dto['bodyMapFront.x'], y: dto['bodyMapFront.y'] };
  if (dto['bodyMapBack.x'] !== undefined || dto['bodyMapBack.y'] !== undefined)
    return { kind: 'click', view: 'back', x: dto['bodyMapBack.x'], y: dto['bodyMapBack.y'] };
  if (dto.removeMark !== undefined && /^\d+$/.test(dto.removeMark))
    return { kind: 'remove', index: Number(dto.removeMark) };
  if (dto.action === 'addMark') return { kind: 'addRegion' };
  // Enter in a text field presses the form's first button, `default`: while a mark is being described
  // (a note typed or a body area chosen) it adds the mark, so the note is not lost to a recorded concern.
  if (dto.action === 'default')
    return isBlank(text(dto.markNote)) && isBlank(text(dto.markRegion)) ? { kind: 'record' } : { kind: 'addRegion' };
  if (dto.action === 'checkGuidance') return { kind: 'checkGuidance' };
  return { kind: 'record' };
}

/** What the browser posted, as the form's state, and which button was pressed. */
export function readConcernForm(dto: ConcernFormDto): { state: ConcernFormState; action: ConcernFormAction } {
  const state: ConcernFormState = {
    pupilId: text(dto.pupilId),
    submissionKey: text(dto.submissionKey),
    occurredDate: text(dto.occurredDate),
    occurredTime: text(dto.occurredTime),
    category: text(dto.category),
    issues: checkboxes(dto.issues),
    indicators: checkboxes(dto.indicators),
    context: text(dto.context),
    summary: text(dto.summary),
    childsWords: text(dto.childsWords),
    childsWordsLanguage: text(dto.childsWordsLanguage),
    childsWordsLanguageName: text(dto.childsWordsLanguageName),
    evidenceBasis: text(dto.evidenceBasis),
    actionTaken: text(dto.actionTaken),
    linkedPupils: rows(dto.linkedPupils, LINKED_PUPIL_ROWS, linkedRow),
    bodyMap: marksOf(dto.bodyMap),
    markRegion: text(dto.markRegion),
    markView: isBodyMapView(dto.markView) ? dto.markView : 'front',
    markNote: text(dto.markNote),
  };
  return { state, action: actionOf(dto) };
}

/** The order the fields appear on the page, so the error summary reads top to bottom. */
const FIELD_ORDER = [
  'occurredDate',
  'summary',
  'childsWords',
  'childsWordsLanguage',
  'childsWordsLanguageName',
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

/**
 * RecordConcernDto's fields as this form shows them. `rows` maps the index of a link in the DTO to the
 * form row it came from (blank rows are left out of the DTO).
 */
function concernFormSpec(rows: number[]): FormSpec {
  const row = ([index]: number[]) => rows[index] ?? 0;
  return {
    common: {
      tooLong: 'concernForm.errors.tooLong',
      controlCharacters: 'concernForm.errors.controlCharacters',
      invalidChoice: 'concernForm.errors.invalidChoice',
      otherwise: 'concernForm.errors.invalid',
    },
    fallbackField: 'summary',
    fields: {
      occurredAt: {
        field: 'occurredDate',
        keys: {
          future: 'concernForm.errors.occurredFuture',
          tooEarly: 'concernForm.errors.occurredTooEarly',
          otherwise: 'concernForm.errors.occurredInvalid',
        },
      },
      category: { keys: { missing: 'concernForm.errors.categoryMissing' } },
      evidenceBasis: { keys: { missing: 'concernForm.errors.evidenceBasisMissing' } },
      childsWordsLanguage: { keys: { otherwise: 'concernForm.errors.childsWordsLanguageMissing' } },
      summary: { keys: { missing: 'concernForm.errors.summaryMissing' } },
      childsWords: {},
      childsWordsLanguageName: {},
      actionTaken: {},
      issues: { keys: { otherwise: 'concernForm.errors.invalidChoice' } },
      indicators: { keys: { otherwise: 'concernForm.errors.invalidChoice' } },
      context: { keys: { otherwise: 'concernForm.errors.invalidChoice' } },
      'linkedPupils.*.pupilId': {
        field: (indexes) => `linkedPupils-${row(indexes)}-pupilId`,
        row: (indexes) => row(indexes) + 1,
        keys: { otherwise: 'concernForm.errors.linkedUnknown' },
      },
      'linkedPupils.*.role': {
        field: (indexes) => `linkedPupils-${row(indexes)}-role`,
        row: (indexes) => row(indexes) + 1,
        keys: { otherwise: 'concernForm.errors.linkedRoleMissing' },
      },
      'bodyMap.*.note': {
        field: ([index]) => `bodyMap-${index}-note`,
        row: ([index]) => index + 1,
        keys: { tooLong: 'bodyMap.errors.noteTooLong' },
      },
      bodyMap: {
        field: 'markRegion',
        keys: { tooMany: 'bodyMap.errors.tooMany', otherwise: 'bodyMap.errors.invalid' },
      },
      'bodyMap.*.view': { field: 'markRegion', keys: { otherwise: 'bodyMap.errors.invalid' } },
      'bodyMap.*.x': { field: 'markRegion', keys: { otherwise: 'bodyMap.errors.invalid' } },
      'bodyMap.*.y': { field: 'markRegion', keys: { otherwise: 'bodyMap.errors.invalid' } },
    },
  };
}

/** The form rows that hold a linked pupil, in the order they go into the DTO. */
const linkedRows = (state: ConcernFormState): number[] =>
  state.linkedPupils.flatMap((row, index) => (isBlank(row.pupilId) ? [] : [index]));

function placed(problems: FieldProblem[], spec: FormSpec, errors: FormError[]): FormError[] {
  for (const problem of problems) addOnce(errors, formErrorOf(problem, spec));
  return inPageOrder(errors, FIELD_ORDER);
}

/**
 * The RecordConcernDto this form describes, validated by the API's own rules. Errors come back keyed
 * by the form's field ids with catalogue keys, ready to show.
 */
export async function toRecordConcernDto(
  state: ConcernFormState,
): Promise<{ dto: RecordConcernDto | null; errors: FormError[] }> {
  const errors: FormError[] = [];
  const occurredAt = londonInstant(state.occurredDate, state.occurredTime);
  if (isBlank(state.occurredDate) || isBlank(state.occurredTime))
    errors.push({ field: 'occurredDate', key: 'concernForm.errors.occurredMissing' });
  else if (!occurredAt) errors.push({ field: 'occurredDate', key: 'concernForm.errors.occurredInvalid' });

  // Checks the form can make before the service (it knows the rows): the subject, or the same pupil twice.
  const seen = new Set<string>();
  for (const index of linkedRows(state)) {
    const { pupilId } = state.linkedPupils[index];
    const key =
      pupilId === state.pupilId
        ? 'concernForm.errors.linkedIsSubject'
        : seen.has(pupilId)
          ? 'concernForm.errors.linkedDuplicate'
          : null;
    if (key) errors.push({ field: `linkedPupils-${index}-pupilId`, key, row: index + 1 });
    seen.add(pupilId);
  }

  const rowsUsed = linkedRows(state);
  const { dto, problems } = await validateAs(RecordConcernDto, {
    pupilId: state.pupilId,
    occurredAt: occurredAt ?? undefined,
    category: given(state.category),
    issues: state.issues,
    indicators: state.indicators,
    context: given(state.context),
    summary: given(state.summary),
    childsWords: given(state.childsWords),
    childsWordsLanguage: given(state.childsWords) !== undefined ? given(state.childsWordsLanguage) : undefined,
    // Asked only beside "Another language": a name typed before choosing English or Welsh is not kept.
    childsWordsLanguageName:
      given(state.childsWords) !== undefined && state.childsWordsLanguage === 'other'
        ? given(state.childsWordsLanguageName)
        : undefined,
    evidenceBasis: given(state.evidenceBasis),
    actionTaken: given(state.actionTaken),
    linkedPupils: rowsUsed.map((index) => state.linkedPupils[index]),
    bodyMap: state.bodyMap.map((mark) => ({ view: mark.view, x: mark.x, y: mark.y, note: given(mark.note) })),
  });
  const result = placed(problems, concernFormSpec(rowsUsed), errors);
  return { dto: result.length ? null : dto, errors: result };
}

/** Errors from the service itself (an InvalidInputError's field paths), placed on the form. */
export function concernFormErrorsFromService(fieldErrors: FieldErrors, state: ConcernFormState): FormError[] {
  return placed(problemsOfFieldErrors(fieldErrors), concernFormSpec(linkedRows(state)), []);
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
