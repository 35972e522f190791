import { randomUUID } from 'node:crypto';
import { londonDateAndTime } from '../../calendar/london-time';
import { ISSUE_CODES } from '../../guidance/codes';
import { applyBodyMapAction } from './concern-form.body-map';
import {
  concernFormErrorsFromService,
  emptyConcernForm,
  readConcernForm,
  toRecordConcernDto,
} from './concern-form.parser';
import { concernFormView, ISSUE_GROUPS } from './concern-form.view';
import { decisionRuleErrorsOf, toCloseDto, toDecisionDto } from './decision-form';
import { ConcernFormDto } from './dto/concern-form.dto';

const pupilId = randomUUID();
const form = (fields: Partial<ConcernFormDto> & Record<string, unknown>): ConcernFormDto =>
  Object.assign(new ConcernFormDto(), fields);
const complete = (fields: Record<string, unknown> = {}) =>
  form({
    pupilId,
    occurredDate: '2026-01-15',
    occurredTime: '10:30',
    category: 'neglect',
    summary: 'Arrived hungry again.',
    evidenceBasis: 'observed',
    ...fields,
  });

describe('the record-a-concern form', () => {
  it('starts empty, dated now in London', () => {
    const state = emptyConcernForm(pupilId, new Date('2026-07-01T23:30:00Z'));
    expect(state).toMatchObject({
      pupilId,
      occurredDate: '2026-07-02',
      occurredTime: '00:30',
      issues: [],
      bodyMap: [],
      markView: 'front',
    });
    expect(state.linkedPupils).toHaveLength(3);
  });

  it('reads one ticked box as a list and knows which button was pressed', () => {
    expect(readConcernForm(form({ issues: 'bullying' })).state.issues).toEqual(['bullying']);
    expect(readConcernForm(form({ issues: ['bullying', 'behaviour'] })).state.issues).toEqual([
      'bullying',
      'behaviour',
    ]);
    expect(readConcernForm(form({ action: 'record' })).action).toEqual({ kind: 'record' });
    expect(readConcernForm(form({})).action).toEqual({ kind: 'record' });
    expect(readConcernForm(form({ action: 'addMark' })).action).toEqual({ kind: 'addRegion' });
    // Enter in a text field presses the hidden default button: it adds the mark being described, if any.
    expect(readConcernForm(form({ action: 'default' })).action).toEqual({ kind: 'record' });
    expect(readConcernForm(form({ action: 'default', markNote: '  ' })).action).toEqual({ kind: 'record' });
    expect(readConcernForm(form({ action: 'default', markNote: 'Bruise' })).action).toEqual({ kind: 'addRegion' });
    expect(readConcernForm(form({ action: 'default', markRegion: 'left_arm' })).action).toEqual({ kind: 'addRegion' });
    expect(readConcernForm(form({ removeMark: '2' })).action).toEqual({ kind: 'remove', index: 2 });
    expect(readConcernForm(form({ 'bodyMapBack.x': '10', 'bodyMapBack.y': '20' })).action).toEqual({
      kind: 'click',
      view: 'back',
      x: '10',
      y: '20',
    });
  });

  it('keeps the marks carried in hidden inputs and drops any that do not read back as a position', () => {
    const { state } = readConcernForm(
      form({
        bodyMap: [
          { view: 'front', x: '0.5', y: '0.25', note: 'Bruise' },
          { view: 'side', x: '0.5', y: '0.25' },
          { view: 'back', x: '1.5', y: '0.25' },
          { view: 'back', x: '', y: '0.25' },
        ],
      }),
    );
    expect(state.bodyMap).toEqual([{ view: 'front', x: 0.5, y: 0.25, note: 'Bruise' }]);
  });

  it('adds a mark where the figure was clicked, with the note typed for it, and removes marks', () => {
    const start = { ...emptyConcernForm(pupilId), markNote: 'Graze' };
    const clicked = applyBodyMapAction(start, { kind: 'click', view: 'front', x: '80', y: '200' });
    expect(clicked.errors).toEqual([]);
    expect(clicked.state.bodyMap).toEqual([{ view: 'front', x: 0.5, y: 0.5, note: 'Graze' }]);
    expect(clicked.state.markNote).toBe('');
    const byRegion = applyBodyMapAction(
      { ...clicked.state, markRegion: 'left_foot', markView: 'back' },
      { kind: 'addRegion' },
    );
    expect(byRegion.state.bodyMap[1]).toMatchObject({ view: 'back', x: 0.4 });
    expect(applyBodyMapAction(byRegion.state, { kind: 'remove', index: 0 }).state.bodyMap).toEqual([
      byRegion.state.bodyMap[1],
    ]);
  });

  it('explains a click with no position and an "Add mark" with no body area', () => {
    const start = emptyConcernForm(pupilId);
    expect(applyBodyMapAction(start, { kind: 'click', view: 'front', x: '0', y: '0' }).errors).toEqual([
      { field: 'markRegion', key: 'bodyMap.errors.noPosition' },
    ]);
    expect(applyBodyMapAction(start, { kind: 'addRegion' }).errors).toEqual([
      { field: 'markRegion', key: 'bodyMap.errors.regionMissing' },
    ]);
  });

  it('maps a complete form to the RecordConcernDto, with the London time as an instant and blanks left out', async () => {
    const { state } = readConcernForm(
      complete({
        occurredDate: '2026-05-20',
        occurredTime: '14:05',
        issues: 'attendance',
        context: '',
        childsWords: '',
        childsWordsLanguage: 'cy',
        actionTaken: '   ',
        linkedPupils: [
          { pupilId: '', role: '' },
          { pupilId: randomUUID(), role: 'sibling' },
        ],
        bodyMap: [{ view: 'front', x: '0.5', y: '0.5', note: '' }],
      }),
    );
    const { dto, errors } = await toRecordConcernDto(state);
    expect(errors).toEqual([]);
    expect(dto).toMatchObject({
      pupilId,
      occurredAt: '2026-05-20T14:05:00+01:00',
      category: 'neglect',
      issues: ['attendance'],
      indicators: [],
      summary: 'Arrived hungry again.',
      evidenceBasis: 'observed',
      bodyMap: [{ view: 'front', x: 0.5, y: 0.5 }],
    });
    expect(dto!.context).toBeUndefined();
    expect(dto!.childsWords).toBeUndefined();
    expect(dto!.childsWordsLanguage).toBeUndefined();
    expect(dto!.actionTaken).toBeUndefined();
    expect(dto!.linkedPupils).toHaveLength(1);
    expect(dto!.bodyMap![0].note).toBeUndefined();
  });

  it('asks which language only beside "Another language": the name is kept there and dropped elsewhere', async () => {
    const words = { childsWords: 'Nie chcę iść do domu.', childsWordsLanguageName: 'Polish' };
    const other = await toRecordConcernDto(readConcernForm(complete({ ...words, childsWordsLanguage: 'other' })).state);
    expect(other.dto).toMatchObject({ childsWordsLanguage: 'other', childsWordsLanguageName: 'Polish' });
    const welsh = await toRecordConcernDto(readConcernForm(complete({ ...words, childsWordsLanguage: 'cy' })).state);
    expect(welsh.errors).toEqual([]);
    expect(welsh.dto!.childsWordsLanguageName).toBeUndefined();
    const long = await toRecordConcernDto(
      readConcernForm(complete({ ...words, childsWordsLanguage: 'other', childsWordsLanguageName: 'P'.repeat(61) }))
        .state,
    );
    expect(long.errors).toEqual([{ field: 'childsWordsLanguageName', key: 'concernForm.errors.tooLong', max: 60 }]);
  });

  it('shows "Call 999 now" beside the ticks whenever an emergency box is ticked, category or not', () => {
    const view = (indicators: string[]) =>
      concernFormView(readConcernForm(form({ pupilId, indicators })).state, [], []).emergencyTicked;
    expect(view([])).toBe(false);
    expect(view(['disclosure_of_abuse'])).toBe(false);
    expect(view(['suicidal_intent'])).toBe(true);
    expect(view(['afraid_to_go_home', 'child_missing_now'])).toBe(true);
  });

  it('keeps text exactly as typed (no trimming) when it is not blank', async () => {
    const { dto } = await toRecordConcernDto(readConcernForm(complete({ summary: '  <b>"as typed"</b>\r\n' })).state);
    expect(dto!.summary).toBe('  <b>"as typed"</b>\r\n');
  });

  it('names each missing or wrong field with a message key, in page order', async () => {
    const { state } = readConcernForm(
      form({ pupilId, occurredDate: '2026-02-30', occurredTime: '10:00', childsWords: 'Dim', summary: ' ' }),
    );
    const { dto, errors } = await toRecordConcernDto(state);
    expect(dto).toBeNull();
    expect(errors.map((e) => `${e.field}:${e.key}`)).toEqual([
      'occurredDate:concernForm.errors.occurredInvalid',
      'summary:concernForm.errors.summaryMissing',
      'childsWordsLanguage:concernForm.errors.childsWordsLanguageMissing',
      'evidenceBasis:concernForm.errors.evidenceBasisMissing',
      'category:concernForm.errors.categoryMissing',
    ]);
  });

  it('refuses a time in the future, text too long, and unknown codes', async () => {
    const tomorrow = londonDateAndTime(new Date(Date.now() + 2 * 86400000));
    const future = await toRecordConcernDto(
      readConcernForm(complete({ occurredDate: tomorrow.date, occurredTime: tomorrow.time })).state,
    );
    expect(future.errors).toEqual([{ field: 'occurredDate', key: 'concernForm.errors.occurredFuture' }]);
    const long = await toRecordConcernDto(readConcernForm(complete({ summary: 'x'.repeat(10001) })).state);
    expect(long.errors).toEqual([{ field: 'summary', key: 'concernForm.errors.tooLong', max: 10000 }]);
    const unknown = await toRecordConcernDto(readConcernForm(complete({ issues: ['bullying', 'made_up'] })).state);
    expect(unknown.errors).toEqual([{ field: 'issues', key: 'concernForm.errors.invalidChoice' }]);
  });

  it('places linked-pupil problems on the row they came from', async () => {
    const other = randomUUID();
    const { errors } = await toRecordConcernDto(
      readConcernForm(
        complete({
          linkedPupils: [
            { pupilId: '', role: '' },
            { pupilId: other, role: '' },
            { pupilId: pupilId, role: 'witness' },
          ],
        }),
      ).state,
    );
    expect(errors).toEqual([
      { field: 'linkedPupils-1-role', key: 'concernForm.errors.linkedRoleMissing', row: 2 },
      { field: 'linkedPupils-2-pupilId', key: 'concernForm.errors.linkedIsSubject', row: 3 },
    ]);
    const state = readConcernForm(
      complete({
        linkedPupils: [
          { pupilId: '', role: '' },
          { pupilId: other, role: 'witness' },
        ],
      }),
    ).state;
    expect(
      concernFormErrorsFromService({ 'linkedPupils.0.pupilId': ['no pupil with this id on your roll'] }, state),
    ).toEqual([{ field: 'linkedPupils-1-pupilId', key: 'concernForm.errors.linkedUnknown', row: 2 }]);
  });

  it('lists every issue code once in the groups, and builds choices for the template', () => {
    expect(ISSUE_GROUPS.flatMap((g) => g.issues).sort()).toEqual([...ISSUE_CODES].sort());
    const view = concernFormView(
      { ...emptyConcernForm(pupilId), category: 'sexual', indicators: ['immediate_danger'] },
      [{ id: pupilId, firstName: 'A', lastName: 'B', yearGroup: 3 }],
      [],
    );
    expect(view.categories.find((c) => c.checked)?.value).toBe('sexual');
    expect(view.categories[0].id).toBe('category');
    expect(view.emergencyIndicators.map((i) => i.value)).toEqual([
      'immediate_danger',
      'child_missing_now',
      'medical_emergency',
      'suicidal_intent',
    ]);
    expect(view.emergencyIndicators[0]).toMatchObject({ id: 'indicators', checked: true });
    expect(view.hasRoll).toBe(false); // the subject is not offered as a linked pupil
  });
});

describe('the decision and close forms', () => {
  it('needs an outcome, the threshold answer and a rationale that is not blank, all reported at once', async () => {
    expect(
      (await toDecisionDto({ outcome: 'monitor', reasonableCause: 'no', rationale: 'Watch at lunch' })).dto,
    ).toMatchObject({ outcome: 'monitor', reasonableCause: 'no', rationale: 'Watch at lunch' });
    expect((await toDecisionDto({ rationale: '  ' })).errors).toEqual([
      { field: 'reasonableCause', key: 'concernPage.errors.reasonableCauseMissing' },
      { field: 'outcome', key: 'concernPage.errors.outcomeMissing' },
      { field: 'rationale', key: 'concernPage.errors.rationaleMissing' },
    ]);
    expect((await toDecisionDto({ outcome: 'shrug', reasonableCause: 'unsure', rationale: 'x' })).errors).toEqual([
      { field: 'outcome', key: 'concernPage.errors.invalidChoice' },
    ]);
    expect((await toCloseDto({ closeRationale: '' })).errors).toEqual([
      { field: 'closeRationale', key: 'concernPage.errors.closeRationaleMissing' },
    ]);
    expect((await toCloseDto({ closeRationale: 'Resolved' })).dto).toMatchObject({ rationale: 'Resolved' });
  });

  it('asks why a route is lower than a child-at-risk guidance, judged with the answer given, never for going up', () => {
    const level0 = { level: 0, route: 'police' } as const;
    const level2 = { level: 2, route: 'school_support' } as const;
    const reasonError = {
      field: 'decisionReasonForRoute',
      key: 'concernPage.errors.decisionReasonForRoute',
      max: 20,
    };
    expect(decisionRuleErrorsOf({ outcome: 'monitor', reasonableCause: 'no' }, level0)).toEqual([reasonError]);
    expect(decisionRuleErrorsOf({ outcome: 'monitor', reasonableCause: 'yes' }, level2)).toEqual([reasonError]);
    expect(
      decisionRuleErrorsOf({ outcome: 'monitor', reasonableCause: 'no', reasonForRoute: 'x'.repeat(20) }, level0),
    ).toEqual([]);
    expect(decisionRuleErrorsOf({ outcome: 'mash', reasonableCause: 'no' }, level2)).toEqual([]);
    expect(decisionRuleErrorsOf({ outcome: 'monitor', reasonableCause: 'no' }, level2)).toEqual([]);
  });
});
