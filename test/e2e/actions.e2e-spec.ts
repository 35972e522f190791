import { Chronology, ConcernListItem, ErrorBody, Paged } from '../support/api';
import { bootTestApp, TestApp } from '../support/test-app';
import { openPageSession } from '../support/web-session';

/**
 * Actions on a concern over HTTP with the demo accounts (API.md, "Daily work"): Riverside's DSP sets one
 * for Riverside's teacher, who finds it in "my actions" and completes it; who may set, complete and read.
 */

const ACCOUNTS = {
  teacherR: 'teacher@riverside.example',
  dspR: 'dsp@riverside.example',
  headR: 'head@riverside.example',
  teacherH: 'teacher@hillcrest.example',
  dspH: 'dsp@hillcrest.example',
  mash: 'mash@cardiff.example',
  admin: 'admin@cardiff.example',
} as const;
type Who = keyof typeof ACCOUNTS;

interface ActionItem {
  id: string;
  concernId: string;
  description: string;
  dueOn: string;
  status: 'open' | 'done';
  overdue: boolean;
  assignee: { id: string; name: string };
  completion: { at: string; by: { name: string; role: string }; note: string } | null;
  pupil?: { id: string; firstName: string; lastName: string };
}

const DAY = 24 * 3600 * 1000;
const inDays = (n: number) => new Date(Date.now() + n * DAY).toISOString().slice(0, 10);

describe('Actions on a concern (API and pages)', () => {
  let testApp: TestApp;
  let concern: ConcernListItem;
  let teacherId: string;
  let dspHId: string;

  const get = <T = unknown>(who: Who, path: string, query: Record<string, string> = {}) =>
    testApp.as(ACCOUNTS[who]).get<T>(path, query);
  const post = <T = unknown>(who: Who, path: string, body?: object) => testApp.as(ACCOUNTS[who]).post<T>(path, body);
  const setAction = (who: Who, body: object, concernId = concern.id) =>
    post<ActionItem & ErrorBody & { rule?: string }>(who, `/api/concerns/${concernId}/actions`, body);

  beforeAll(async () => {
    testApp = await bootTestApp();
    teacherId = (await testApp.as(ACCOUNTS.teacherR).me()).id;
    dspHId = (await testApp.as(ACCOUNTS.dspH).me()).id;
    const open = await testApp
      .as(ACCOUNTS.dspR)
      .read<Paged<ConcernListItem>>('/api/concerns', { status: 'open', pageSize: '200' });
    concern = open.items[0];
  });

  afterAll(() => testApp.close());

  it('a DSP sets an action; the assignee finds it in "my actions" with the pupil; the concern lists it', async () => {
    const set = await setAction('dspR', {
      description: 'Speak to the class teacher about lunchtimes',
      assigneeUserId: teacherId,
      dueOn: inDays(3),
    });
    expect(set.status).toBe(201);
    expect(set.body).toMatchObject({
      concernId: concern.id,
      status: 'open',
      overdue: false,
      dueOn: inDays(3),
      assignee: { id: teacherId },
      completion: null,
    });

    const mine = await get<Paged<ActionItem>>('teacherR', '/api/actions', { assignee: 'me', status: 'open' });
    expect(mine.status).toBe(200);
    const listed = mine.body.items.find((item) => item.id === set.body.id);
    expect(listed).toMatchObject({
      description: 'Speak to the class teacher about lunchtimes',
      overdue: false,
      concernId: concern.id,
      pupil: { id: concern.pupil.id, firstName: concern.pupil.firstName, lastName: concern.pupil.lastName },
    });
    expect(mine.body.total).toBe(mine.body.items.length);
    expect((await get<Paged<ActionItem>>('teacherR', '/api/actions', { status: 'overdue' })).body.total).toBe(0);

    const detail = await get<{ actions: ActionItem[] }>('dspR', `/api/concerns/${concern.id}`);
    expect(detail.body.actions.map((a) => a.id)).toContain(set.body.id);
    // The head teacher reads the concern's actions too.
    const asHead = await get<{ actions: ActionItem[] }>('headR', `/api/concerns/${concern.id}`);
    expect(asHead.body.actions.map((a) => a.id)).toContain(set.body.id);
  });

  it('refuses bad input with 400 naming the field and stores nothing', async () => {
    const before = (await get<{ actions: ActionItem[] }>('dspR', `/api/concerns/${concern.id}`)).body.actions.length;
    const cases: Array<[object, string]> = [
      [{ assigneeUserId: teacherId, dueOn: inDays(1) }, 'description'],
      [{ description: 'x'.repeat(2001), assigneeUserId: teacherId, dueOn: inDays(1) }, 'description'],
      [{ description: 'Do it', assigneeUserId: 'not-a-uuid', dueOn: inDays(1) }, 'assigneeUserId'],
      [{ description: 'Do it', assigneeUserId: teacherId, dueOn: '2026-02-30' }, 'dueOn'],
      [{ description: 'Do it', assigneeUserId: teacherId, dueOn: '04/12/2026' }, 'dueOn'],
    ];
    for (const [body, field] of cases) {
      const response = await setAction('dspR', body);
      expect(response.status).toBe(400);
      expect(Object.keys(response.body.errors ?? {})).toContain(field);
    }
    expect((await get<{ actions: ActionItem[] }>('dspR', `/api/concerns/${concern.id}`)).body.actions).toHaveLength(
      before,
    );
  });

  it('refuses a broken rule with 422 and its code', async () => {
    const past = await setAction('dspR', { description: 'Too late', assigneeUserId: teacherId, dueOn: inDays(-2) });
    expect(past.status).toBe(422);
    expect(past.body.rule).toBe('due_in_past');
    const elsewhere = await setAction('dspR', {
      description: 'Wrong school',
      assigneeUserId: dspHId,
      dueOn: inDays(2),
    });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.rule).toBe('assignee_not_in_organisation');
  });

  it('only a DSP who may read the concern sets an action: others get 403 or 404', async () => {
    const body = { description: 'Check in', assigneeUserId: teacherId, dueOn: inDays(1) };
    expect((await setAction('headR', body)).status).toBe(403);
    for (const who of ['dspH', 'teacherH', 'mash', 'admin'] as Who[])
      expect((await setAction(who, body)).status).toBe(404);
    expect((await setAction('dspR', body, '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await setAction('dspR', body, 'nope')).status).toBe(400);
  });

  it('the assignee completes an action once; a DSP of another school cannot see it, the head may not', async () => {
    const action = await testApp.as(ACCOUNTS.dspR).created<ActionItem>(`/api/concerns/${concern.id}/actions`, {
      description: 'Phone home',
      assigneeUserId: teacherId,
      dueOn: inDays(0),
    });
    const complete = (who: Who, note: unknown = 'Spoke to mum on the phone') =>
      post<ActionItem & { rule?: string }>(who, `/api/actions/${action.id}/complete`, { note });
    expect((await complete('dspH')).status).toBe(404);
    expect((await complete('teacherH')).status).toBe(404);
    expect((await complete('headR')).status).toBe(403);
    expect((await complete('teacherR', '')).status).toBe(400);
    const done = await complete('teacherR');
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ status: 'done', completion: { note: 'Spoke to mum on the phone' } });
    const again = await complete('dspR');
    expect(again.status).toBe(422);
    expect(again.body.rule).toBe('action_already_completed');

    const detail = await get<{ actions: ActionItem[] }>('dspR', `/api/concerns/${concern.id}`);
    expect(detail.body.actions.find((a) => a.id === action.id)).toMatchObject({
      status: 'done',
      completion: { note: 'Spoke to mum on the phone', by: { role: 'staff' } },
    });
    const doneList = await get<Paged<ActionItem>>('teacherR', '/api/actions', { status: 'done' });
    expect(doneList.body.items.map((a) => a.id)).toContain(action.id);
  });

  it('pages "my actions" with a true total; a DSP lists the organisation; LA roles have none', async () => {
    const first = await get<Paged<ActionItem>>('teacherR', '/api/actions', { pageSize: '1' });
    expect(first.body.items).toHaveLength(1);
    expect(first.body.total).toBeGreaterThanOrEqual(2);
    const second = await get<Paged<ActionItem>>('teacherR', '/api/actions', { pageSize: '1', page: '2' });
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    // Open before done.
    expect(first.body.items[0].status).toBe('open');
    const organisation = await get<Paged<ActionItem>>('dspR', '/api/actions', { assignee: 'any' });
    expect(organisation.body.total).toBeGreaterThanOrEqual(first.body.total);
    expect((await get('teacherR', '/api/actions', { assignee: 'any' })).status).toBe(403);
    expect((await get('mash', '/api/actions')).status).toBe(403);
    expect((await get('teacherR', '/api/actions', { status: 'late' })).status).toBe(400);
  });

  it('the pupil’s chronology shows each action set and completed', async () => {
    const chronology = await testApp.as(ACCOUNTS.dspR).read<Chronology>(`/api/pupils/${concern.pupil.id}/chronology`);
    const kinds = chronology.entries.map((entry) => entry.kind);
    expect(kinds).toEqual(expect.arrayContaining(['action_set', 'action_completed']));
    expect(chronology.entries.find((entry) => entry.kind === 'action_completed')?.detail).toBe(
      'Spoke to mum on the phone',
    );
  });

  it('audits setting, completing and reading the list', async () => {
    const audit = await get<Paged<{ action: string }>>('headR', '/api/audit', { pageSize: '200' });
    const actions = audit.body.items.map((item) => item.action);
    expect(actions).toEqual(expect.arrayContaining(['action.created', 'action.completed', 'action_list.viewed']));
  });

  describe('pages', () => {
    it('the DSP sets an action on the concern page; a form with errors comes back with the error summary', async () => {
      const dsp = await openPageSession(testApp, ACCOUNTS.dspR);
      const page = await dsp.get(`/concerns/${concern.id}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('id="actions"');
      expect(page.text).toContain(`action="/concerns/${concern.id}/actions"`);

      const empty = await dsp.submit(`/concerns/${concern.id}`, `/concerns/${concern.id}/actions`, {
        actionDescription: '',
        actionAssignee: '',
        actionDueOn: '',
      });
      expect(empty.status).toBe(400);
      expect(empty.text).toContain('govuk-error-summary');
      expect(empty.text).toContain('Enter what needs to be done');
      expect(empty.text).toContain('href="#actionAssignee"');

      const past = await dsp.submit(`/concerns/${concern.id}`, `/concerns/${concern.id}/actions`, {
        actionDescription: 'Late one',
        actionAssignee: teacherId,
        actionDueOn: inDays(-1),
      });
      expect(past.status).toBe(422);
      expect(past.text).toContain('The due date must be today or later');
      expect(past.text).toContain('Late one');

      const ok = await dsp.submit(`/concerns/${concern.id}`, `/concerns/${concern.id}/actions`, {
        actionDescription: 'Meet the family',
        actionAssignee: teacherId,
        actionDueOn: inDays(5),
      });
      expect(ok.status).toBe(303);
      expect(ok.headers.location).toBe(`/concerns/${concern.id}#actions`);
      expect((await dsp.get(`/concerns/${concern.id}`)).text).toContain('Meet the family');
    });

    it('the assignee sees "my actions" on the dashboard and /actions, and completes one (English and Welsh)', async () => {
      const teacher = await openPageSession(testApp, ACCOUNTS.teacherR);
      const home = await teacher.get('/');
      expect(home.text).toContain('id="my-actions"');
      expect(home.text).toContain('Meet the family');
      const list = await teacher.get('/actions');
      expect(list.status).toBe(200);
      expect(list.text).toContain('My actions');
      expect(list.text).toContain(concern.pupil.lastName);

      const mine = await get<Paged<ActionItem>>('teacherR', '/api/actions', { status: 'open', pageSize: '200' });
      const target = mine.body.items.find((a) => a.description === 'Meet the family')!;
      const blank = await teacher.submit(`/actions/${target.id}/complete`, `/actions/${target.id}/complete`, {
        note: '',
      });
      expect(blank.status).toBe(400);
      expect(blank.text).toContain('Enter what was done');
      const done = await teacher.submit(`/actions/${target.id}/complete`, `/actions/${target.id}/complete`, {
        note: 'Met them after school',
      });
      expect(done.status).toBe(303);
      expect(done.headers.location).toBe('/actions?done=completed');

      const welsh = await openPageSession(testApp, ACCOUNTS.teacherR, { language: 'cy' });
      const cy = await welsh.get('/actions');
      expect(cy.status).toBe(200);
      expect(cy.text).toContain('Fy nghamau gweithredu');
    });

    it('someone who may not complete an action gets 404 for its page', async () => {
      const mine = await get<Paged<ActionItem>>('teacherR', '/api/actions', { pageSize: '1' });
      const other = await openPageSession(testApp, ACCOUNTS.dspH);
      expect((await other.get(`/actions/${mine.body.items[0].id}/complete`)).status).toBe(404);
    });
  });
});
