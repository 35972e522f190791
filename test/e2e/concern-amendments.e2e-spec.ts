import { ConcernDetail, ErrorBody } from '../support/api';
import { bootTestApp, TestApp } from '../support/test-app';
import { openPageSession } from '../support/web-session';

const DSP = 'dsp@hillcrest.example';
const TEACHER = 'teacher@hillcrest.example';
const OTHER_DSP = 'dsp@riverside.example';
const HOUR = 3600 * 1000;

type Amendment = {
  at: string;
  by: { name: string; role: string };
  field: string;
  previous: unknown;
  value: unknown;
  reason: string;
};
type WithAmendments = ConcernDetail & { amendments: Amendment[]; occurredAt: string; summary: string };
type RuleError = ErrorBody & { rule?: string };

/** Corrections of a concern over HTTP (API.md, Corrections) and the pages, in English and Welsh. */
describe('correcting a concern (API and pages)', () => {
  let testApp: TestApp;
  let pupilId: string;

  const record = async () =>
    testApp.as(TEACHER).created<{ id: string }>('/api/concerns', {
      pupilId,
      occurredAt: new Date(Date.now() - 2 * HOUR).toISOString(),
      category: 'wellbeing',
      summary: 'Came in upset and would not say why.',
      evidenceBasis: 'observed',
    });

  beforeAll(async () => {
    testApp = await bootTestApp();
    pupilId = (await testApp.as(TEACHER).pupils())[0].id;
  });
  afterAll(() => testApp.close());

  it('appends a correction and reads the current value with the history (201)', async () => {
    const { id } = await record();
    const occurredAt = new Date(Date.now() - 5 * HOUR).toISOString();
    const created = await testApp.as(TEACHER).post<Amendment>(`/api/concerns/${id}/amendments`, {
      field: 'occurredAt',
      value: occurredAt,
      reason: 'Wrong time',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ field: 'occurredAt', value: occurredAt, reason: 'Wrong time' });
    const read = await testApp.as(DSP).read<WithAmendments>(`/api/concerns/${id}`);
    expect(read.occurredAt).toBe(occurredAt);
    expect(read.amendments).toEqual([
      expect.objectContaining({
        field: 'occurredAt',
        value: occurredAt,
        reason: 'Wrong time',
        by: expect.objectContaining({ role: 'staff' }),
      }),
    ]);
  });

  it('answers 400 for a bad value or no reason, 422 for an unchanged value, 404 to another school', async () => {
    const { id } = await record();
    const post = (email: string, body: object) =>
      testApp.as(email).post<RuleError>(`/api/concerns/${id}/amendments`, body);
    const future = new Date(Date.now() + HOUR).toISOString();
    expect((await post(TEACHER, { field: 'occurredAt', value: future, reason: 'x' })).status).toBe(400);
    expect((await post(TEACHER, { field: 'category', value: 'nonsense', reason: 'x' })).status).toBe(400);
    expect((await post(TEACHER, { field: 'bodyMap', value: [], reason: 'x' })).status).toBe(400);
    expect((await post(TEACHER, { field: 'summary', value: 'New words.' })).status).toBe(400);
    const unchanged = await post(TEACHER, { field: 'category', value: 'wellbeing', reason: 'x' });
    expect(unchanged.status).toBe(422);
    expect(unchanged.body.rule).toBe('amendment_unchanged');
    expect((await post(OTHER_DSP, { field: 'summary', value: 'Not ours.', reason: 'x' })).status).toBe(404);
    expect((await testApp.as(DSP).read<WithAmendments>(`/api/concerns/${id}`)).amendments).toEqual([]);
  });

  it('lets a DSP correct the time on the page, and shows before and after with the reason', async () => {
    const { id } = await record();
    const session = await openPageSession(testApp, DSP);
    const concernPage = await session.get(`/concerns/${id}`);
    expect(concernPage.text).toContain(`href="/concerns/${id}/amend"`);
    const choose = await session.get(`/concerns/${id}/amend`);
    expect(choose.status).toBe(200);
    expect(choose.text).toContain(`/concerns/${id}/amend?field=occurredAt`);
    const form = await session.get(`/concerns/${id}/amend?field=occurredAt`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('id="occurredDate"');

    const missing = await session.submit(`/concerns/${id}/amend?field=occurredAt`, `/concerns/${id}/amend`, {
      field: 'occurredAt',
      occurredDate: '2026-11-30',
      occurredTime: '08:15',
      reason: '',
    });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('govuk-error-summary');
    expect(missing.text).toContain('Say why you are correcting this');

    const future = await session.submit(`/concerns/${id}/amend?field=occurredAt`, `/concerns/${id}/amend`, {
      field: 'occurredAt',
      occurredDate: '2099-12-25',
      occurredTime: '08:15',
      reason: 'Wrong day',
    });
    expect(future.status).toBe(400);
    expect(future.text).toContain('The date and time cannot be in the future');

    const saved = await session.submit(`/concerns/${id}/amend?field=occurredAt`, `/concerns/${id}/amend`, {
      field: 'occurredAt',
      occurredDate: '2026-11-30',
      occurredTime: '08:15',
      reason: 'The teacher wrote down the wrong day',
    });
    expect(saved.status).toBe(303);
    const after = await session.get(`/concerns/${id}`);
    expect(after.text).toContain('Corrections');
    expect(after.text).toContain('The teacher wrote down the wrong day');
    expect(after.text).toContain('30 November 2026');
    const read = await testApp.as(DSP).read<WithAmendments>(`/api/concerns/${id}`);
    expect(read.occurredAt).toBe('2026-11-30T08:15:00.000Z');
  });

  it('shows child’s words added by a correction as words whose language was not recorded, never a raw key', async () => {
    const { id } = await record();
    await testApp.as(DSP).post(`/api/concerns/${id}/amendments`, {
      field: 'childsWords',
      value: 'Dw i eisiau mynd adref',
      reason: 'Left out when it was recorded',
    });
    const page = await (await openPageSession(testApp, DSP)).get(`/concerns/${id}`);
    expect(page.text).toContain('Dw i eisiau mynd adref');
    expect(page.text).toContain('the language they spoke was not recorded');
    expect(page.text).not.toContain('concernPage.languages');
  });

  it('shows the correction form and history in Welsh, and 404 to another school', async () => {
    const { id } = await record();
    await testApp.as(DSP).created(`/api/concerns/${id}/amendments`, {
      field: 'category',
      value: 'emotional',
      reason: 'Categori anghywir',
    });
    const session = await openPageSession(testApp, DSP, { language: 'cy' });
    const page = await session.get(`/concerns/${id}`);
    expect(page.text).toContain('Cywiriadau');
    expect(page.text).toContain('Categori anghywir');
    const form = await session.get(`/concerns/${id}/amend?field=summary`);
    expect(form.status).toBe(200);
    expect(form.text).toContain('Pam ydych chi&#x27;n cywiro hyn?');
    const unchanged = await session.submit(`/concerns/${id}/amend?field=category`, `/concerns/${id}/amend`, {
      field: 'category',
      choice: 'emotional',
      reason: 'Eto',
    });
    expect(unchanged.status).toBe(422);
    expect(unchanged.text).toContain('yr un fath');
    const other = await openPageSession(testApp, OTHER_DSP);
    expect((await other.get(`/concerns/${id}/amend?field=summary`)).status).toBe(404);
  });
});
