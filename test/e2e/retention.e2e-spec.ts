import { Actor } from '../../src/common/actor';
import { Organisation } from '../../src/organisations/organisation.entity';
import { ErrorBody, Paged } from '../support/api';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';
import { openPageSession } from '../support/web-session';

/**
 * Retention review over HTTP with the demo accounts (docs/api-additions.md, "Retention"): Riverside's
 * DSP reviews a pupil past their 25th birthday, a hold stops disposal, the LA lead approves the
 * disposal the DSP proposed; the pages in English and Welsh, with their 400 and 422 answers.
 */
const ACCOUNTS = {
  dspR: 'dsp@riverside.example',
  teacherR: 'teacher@riverside.example',
  headR: 'head@riverside.example',
  dspH: 'dsp@hillcrest.example',
  mash: 'mash@cardiff.example',
  lead: 'lead@cardiff.example',
} as const;
type Who = keyof typeof ACCOUNTS;

interface Status {
  pupil: { id: string; firstName: string; lastName: string };
  reviewOn: string;
  due: boolean;
  legalHold: { id: string; reason: string } | null;
  pendingDisposal: { id: string } | null;
  disposal: { approvedBy: { name: string }; counts: Record<string, number> } | null;
}

describe('Retention review (API and pages)', () => {
  let testApp: TestApp;
  let factory: Factory;
  let riverside: Organisation;
  let recorder: Actor;

  const get = <T = unknown>(who: Who, path: string, query: Record<string, string> = {}) =>
    testApp.as(ACCOUNTS[who]).get<T & ErrorBody & { rule?: string }>(path, query);
  const post = <T = unknown>(who: Who, path: string, body?: object) =>
    testApp.as(ACCOUNTS[who]).post<T & ErrorBody & { rule?: string }>(path, body);

  async function oldPupil(lastName: string, dateOfBirth = '1990-01-15') {
    const pupil = await factory.pupil(riverside, { dateOfBirth, lastName });
    await factory.concern(pupil, recorder, { summary: 'Private words about the child' });
    return pupil;
  }

  beforeAll(async () => {
    testApp = await bootTestApp();
    factory = new Factory(testApp.dataSource);
    recorder = await factory.actorFor(await testApp.as(ACCOUNTS.dspR).me());
    riverside = await testApp.dataSource.getRepository(Organisation).findOneByOrFail({ id: recorder.organisationId });
  });

  afterAll(() => testApp.close());

  it('lists, holds, refuses and disposes through the API, with 400, 403, 404 and 422 bodies', async () => {
    const pupil = await oldPupil('Retentionapi');
    const young = await oldPupil('Youngapi', '2015-05-01');

    const list = await get<Paged<{ pupil: { id: string }; reviewOn: string }>>('dspR', '/api/retention/reviews', {
      pageSize: '200',
    });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ page: 1, pageSize: 200, total: expect.any(Number) });
    expect(list.body.items.map((i) => i.pupil.id)).toContain(pupil.id);
    expect(list.body.items.map((i) => i.pupil.id)).not.toContain(young.id);
    expect(list.body.items.find((i) => i.pupil.id === pupil.id)!.reviewOn).toBe('2015-01-15');
    expect((await get('lead', '/api/retention/reviews')).status).toBe(200);
    expect((await get('teacherR', '/api/retention/reviews')).status).toBe(403);
    expect((await get('mash', '/api/retention/reviews')).status).toBe(403);
    expect((await get('dspR', '/api/retention/reviews', { pageSize: '0' })).status).toBe(400);

    expect((await get<Status>('dspR', `/api/pupils/${pupil.id}/retention`)).body.due).toBe(true);
    for (const who of ['dspH', 'teacherR', 'headR', 'mash'] as const)
      expect((await get(who, `/api/pupils/${pupil.id}/retention`)).status).toBe(404);

    const blank = await post('dspR', `/api/pupils/${pupil.id}/legal-holds`, { reason: '' });
    expect(blank.status).toBe(400);
    expect(blank.body.errors).toHaveProperty('reason');
    expect((await post('dspR', `/api/pupils/${pupil.id}/disposals`, {})).status).toBe(400);

    const notDue = await post('dspR', `/api/pupils/${young.id}/disposals`, { reason: 'Reviewed' });
    expect(notDue.status).toBe(422);
    expect(notDue.body.rule).toBe('not_yet_due');

    expect((await post('dspR', `/api/pupils/${pupil.id}/legal-holds`, { reason: 'Inquiry' })).status).toBe(201);
    const held = await post('dspR', `/api/pupils/${pupil.id}/disposals`, { reason: 'Reviewed' });
    expect(held.status).toBe(422);
    expect(held.body.rule).toBe('legal_hold');
    expect((await post('lead', `/api/pupils/${pupil.id}/legal-holds/lift`, { reason: 'Over' })).status).toBe(200);

    const proposed = await post<Status>('dspR', `/api/pupils/${pupil.id}/disposals`, { reason: 'Reviewed' });
    expect(proposed.status).toBe(201);
    const proposalId = proposed.body.pendingDisposal!.id;
    const same = await post(`dspR`, `/api/disposals/${proposalId}/approve`);
    expect(same.status).toBe(422);
    expect(same.body.rule).toBe('disposal_same_person');
    expect((await post('dspH', `/api/disposals/${proposalId}/approve`)).status).toBe(404);
    const approved = await post<Status>('lead', `/api/disposals/${proposalId}/approve`);
    expect(approved.status).toBe(200);
    expect(approved.body.disposal).toMatchObject({ approvedBy: { name: 'Huw Williams' }, counts: { concerns: 1 } });
  });

  it('pages: the menu link, the list, the pupil page in English and Welsh, friendly 400 and 422, the tombstone', async () => {
    const pupil = await oldPupil('Retentionpage');
    const dsp = await openPageSession(testApp, ACCOUNTS.dspR);
    const home = await dsp.get('/');
    expect(home.text).toContain('href="/retention"');
    const list = await dsp.get('/retention');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Records due for retention review');
    expect(list.text).toContain(`/pupils/${pupil.id}/retention`);

    const page = `/pupils/${pupil.id}/retention`;
    const opened = await dsp.get(page);
    expect(opened.status).toBe(200);
    expect(opened.text).toContain('Disposal cannot be undone');

    const blank = await dsp.submit(page, `/pupils/${pupil.id}/disposals`, { reason: '' });
    expect(blank.status).toBe(400);
    expect(blank.text).toContain('govuk-error-summary');
    expect(blank.text).toContain('Enter a reason');

    expect((await dsp.submit(page, `/pupils/${pupil.id}/legal-holds`, { reason: 'Court case' })).status).toBe(303);
    const refused = await dsp.submit(page, `/pupils/${pupil.id}/disposals`, { reason: 'Reviewed' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('A legal hold is on these records');
    expect((await dsp.submit(page, `/pupils/${pupil.id}/legal-holds/lift`, { reason: 'Case closed' })).status).toBe(
      303,
    );
    expect((await dsp.submit(page, `/pupils/${pupil.id}/disposals`, { reason: 'Reviewed at 25' })).status).toBe(303);
    const pending = await dsp.get(page);
    const proposalId = /\/disposals\/([0-9a-f-]{36})\/cancel/.exec(pending.text)![1];
    expect(pending.text).not.toContain(`/disposals/${proposalId}/approve`);
    const same = await dsp.post(`/disposals/${proposalId}/approve`, { confirm: 'yes' });
    expect(same.status).toBe(422);
    expect(same.text).toContain('Disposal needs two people');

    const welsh = await openPageSession(testApp, ACCOUNTS.lead, { language: 'cy' });
    const cy = await welsh.get(page);
    expect(cy.status).toBe(200);
    expect(cy.text).toContain('Cadw cofnodion diogelu');
    expect(cy.text).toContain('Ni ellir dadwneud gwaredu');
    // Approving without ticking the box says what to do, and disposes of nothing.
    const unconfirmed = await welsh.submit(page, `/disposals/${proposalId}/approve`, {});
    expect(unconfirmed.status).toBe(400);
    expect(unconfirmed.text).toContain('Ticiwch y blwch i gadarnhau');
    expect((await welsh.get(page)).text).toContain(`/disposals/${proposalId}/approve`);
    expect((await welsh.submit(page, `/disposals/${proposalId}/approve`, { confirm: 'yes' })).status).toBe(303);
    const tombstone = await welsh.get(page);
    expect(tombstone.text).toContain('Cofnodion wedi&#x27;u gwaredu');
    expect(tombstone.text).not.toContain('Private words about the child');
    const after = await dsp.get(page);
    expect(after.text).toContain('Records disposed of');
    expect(after.text).toContain('Huw Williams');

    expect((await (await openPageSession(testApp, ACCOUNTS.teacherR)).get(page)).status).toBe(404);
  });
});
