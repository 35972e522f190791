import { Chronology, Paged } from '../support/api';
import { bootTestApp, TestApp } from '../support/test-app';
import { openPageSession } from '../support/web-session';

/**
 * Moving school over HTTP with the demo accounts (API.md, "PRU placements and moving school"):
 * Riverside's DSP sends a pupil's safeguarding file to Hillcrest, and who may read and do what,
 * before and after Hillcrest's DSP confirms receipt, as a matrix of role × organisation × record.
 */

const ACCOUNTS = {
  teacherR: 'teacher@riverside.example',
  dspR: 'dsp@riverside.example',
  headR: 'head@riverside.example',
  teacherH: 'teacher@hillcrest.example',
  dspH: 'dsp@hillcrest.example',
  headH: 'head@hillcrest.example',
  dspB: 'dsp@bridge.example',
  mash: 'mash@cardiff.example',
  earlyHelp: 'earlyhelp@cardiff.example',
  lead: 'lead@cardiff.example',
  admin: 'admin@cardiff.example',
} as const;
type Who = keyof typeof ACCOUNTS;
const EVERYONE = Object.keys(ACCOUNTS) as Who[];
const only = (cells: Partial<Record<Who, number>>): Record<Who, number> =>
  Object.fromEntries(EVERYONE.map((who) => [who, cells[who] ?? 404])) as Record<Who, number>;

interface Transfer {
  id: string;
  status: string;
  sentAt: string;
  dueBy: string;
  overdue: boolean;
  receivedAt: string | null;
  fromOrganisationId: string;
  toOrganisationId: string | null;
  pupil: { id: string; upn: string; firstName: string; lastName: string; dateOfBirth: string };
  from: { id: string; name: string };
  to: { id: string | null; name: string };
}

const DAY = 24 * 3600 * 1000;
const TODAY = new Date().toISOString().slice(0, 10);
const yesterday = () => new Date(Date.now() - DAY).toISOString().slice(0, 10);

describe('Transfers of the safeguarding file (API and pages)', () => {
  let testApp: TestApp;
  let pupil: { id: string; firstName: string; lastName: string; upn: string };
  let hillcrestId: string;
  let riversideId: string;
  let transferId: string;
  let entriesBefore: string[];

  const get = (who: Who, path: string, query: Record<string, string> = {}) =>
    testApp.as(ACCOUNTS[who]).get(path, query);
  const post = (who: Who, path: string, body?: object) => testApp.as(ACCOUNTS[who]).post(path, body);
  const mismatches = async (
    label: string,
    expected: Record<Who, number>,
    probe: (who: Who) => Promise<{ status: number }>,
  ) => {
    const wrong: string[] = [];
    for (const who of EVERYONE) {
      const { status } = await probe(who);
      if (status !== expected[who]) wrong.push(`${label}: ${who} got ${status}, expected ${expected[who]}`);
    }
    return wrong;
  };

  beforeAll(async () => {
    testApp = await bootTestApp();
    hillcrestId = (await testApp.as(ACCOUNTS.dspH).me()).organisationId;
    riversideId = (await testApp.as(ACCOUNTS.dspR).me()).organisationId;
    // A Riverside pupil with a history, whom no local-authority team has been sent (so LA roles see nothing).
    for (const candidate of await testApp.as(ACCOUNTS.dspR).pupils({ pageSize: '200' })) {
      const history = await testApp.as(ACCOUNTS.dspR).read<Chronology>(`/api/pupils/${candidate.id}/chronology`);
      const seenByLa = (await get('mash', `/api/pupils/${candidate.id}`)).status === 200;
      const seenByEarlyHelp = (await get('earlyHelp', `/api/pupils/${candidate.id}`)).status === 200;
      if (history.entries.length > 0 && !seenByLa && !seenByEarlyHelp) {
        pupil = candidate;
        entriesBefore = history.entries.map((e) => e.id);
        break;
      }
    }
    if (!pupil) throw new Error('No Riverside pupil with an unreferred history in the demo');
  });

  afterAll(() => testApp.close());

  const sendBody = () => ({ toOrganisationId: hillcrestId, leavingOn: yesterday(), note: 'Read the chronology first' });

  it('only a DSP where the pupil is enrolled sends: others who see the pupil 403, the rest 404', async () => {
    const wrong = await mismatches(
      'send',
      only({ teacherR: 403, headR: 403, dspR: 422 }),
      // Sent to the sender itself, so the allowed caller stops at a rule (422) and nothing is created.
      (who) => post(who, `/api/pupils/${pupil.id}/transfers`, { ...sendBody(), toOrganisationId: riversideId }),
    );
    expect(wrong).toEqual([]);
  });

  it.each([
    ['no destination', { leavingOn: TODAY }, 'toOrganisationId'],
    [
      'both destinations',
      {
        toOrganisationId: '00000000-0000-4000-8000-000000000000',
        toExternal: { name: 'X' },
        sentBy: 'post',
        leavingOn: TODAY,
      },
      'toOrganisationId',
    ],
    ['a null external destination', { toExternal: null, sentBy: 'post', leavingOn: TODAY }, 'toExternal'],
    ['a null organisation', { toOrganisationId: null, leavingOn: TODAY }, 'toOrganisationId'],
    ['external without how it went', { toExternal: { name: 'Ysgol X' }, leavingOn: TODAY }, 'sentBy'],
    [
      'how it went, inside the LA',
      { toOrganisationId: '00000000-0000-4000-8000-000000000000', sentBy: 'post', leavingOn: TODAY },
      'sentBy',
    ],
    ['not a date', { toOrganisationId: '00000000-0000-4000-8000-000000000000', leavingOn: '2026-02-30' }, 'leavingOn'],
    [
      'an external school with no name',
      { toExternal: { name: '' }, sentBy: 'post', leavingOn: TODAY },
      'toExternal.name',
    ],
  ])('answers 400 for %s, naming the field, and stores nothing', async (_what, body, field) => {
    const response = await post('dspR', `/api/pupils/${pupil.id}/transfers`, body);
    expect(response.status).toBe(400);
    expect(Object.keys((response.body as { errors: Record<string, string[]> }).errors)).toContain(field);
  });

  it('a PRU holding only a placement does not send the file: the main school does (422)', async () => {
    const kai = await testApp.as(ACCOUNTS.dspB).pupilNamed('Kai', 'Morgan');
    const response = await post('dspB', `/api/pupils/${kai.id}/transfers`, {
      toOrganisationId: riversideId,
      leavingOn: yesterday(),
    });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({ rule: 'sender_not_main_school' });
  });

  it('a destination that is not an active school or PRU of the LA is 422 on toOrganisationId', async () => {
    const lead = await testApp.as(ACCOUNTS.lead).me();
    const response = await post('dspR', `/api/pupils/${pupil.id}/transfers`, {
      ...sendBody(),
      toOrganisationId: lead.organisationId,
    });
    expect(response.status).toBe(422);
    expect(response.body).toMatchObject({
      rule: 'destination_not_allowed',
      errors: { toOrganisationId: [expect.any(String)] },
    });
  });

  it('Riverside’s DSP sends the file: 201, sent, due in 5 working days', async () => {
    const response = await post('dspR', `/api/pupils/${pupil.id}/transfers`, sendBody());
    expect(response.status).toBe(201);
    const sent = response.body as Transfer;
    expect(sent).toMatchObject({
      status: 'sent',
      fromOrganisationId: riversideId,
      toOrganisationId: hillcrestId,
      overdue: false,
      receivedAt: null,
    });
    expect(Date.parse(sent.dueBy) - Date.parse(sent.sentAt)).toBeGreaterThanOrEqual(5 * DAY);
    transferId = sent.id;
    // Hillcrest's DSP is told a file waits for them; no child is named in the notification.
    const told = await testApp
      .as(ACCOUNTS.dspH)
      .read<Paged<{ kind: string; link: string; title: string }>>('/api/notifications', { unread: 'true' });
    const notice = told.items.find((item) => item.link === `/transfers/${sent.id}`);
    expect(notice).toMatchObject({ kind: 'transfer_received' });
    expect(notice!.title).toContain('Riverside Primary');
    expect(notice!.title).not.toContain(pupil.lastName);
    const again = await post('dspR', `/api/pupils/${pupil.id}/transfers`, sendBody());
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ errors: { status: [expect.any(String)] } });
  });

  it('before receipt: both sides’ DSPs and heads read the transfer row; Hillcrest reads neither the pupil nor the chronology', async () => {
    const wrong = [
      ...(await mismatches('transfer', only({ dspR: 200, headR: 200, dspH: 200, headH: 200 }), (who) =>
        get(who, `/api/transfers/${transferId}`),
      )),
      ...(await mismatches('pupil', only({ teacherR: 200, dspR: 200, headR: 200 }), (who) =>
        get(who, `/api/pupils/${pupil.id}`),
      )),
      ...(await mismatches('chronology', only({ dspR: 200, headR: 200 }), (who) =>
        get(who, `/api/pupils/${pupil.id}/chronology`),
      )),
      ...(await mismatches(
        'incoming',
        only({
          dspR: 200,
          headR: 200,
          dspH: 200,
          headH: 200,
          dspB: 200,
          teacherR: 403,
          teacherH: 403,
          mash: 403,
          earlyHelp: 403,
          lead: 403,
          admin: 403,
        }),
        (who) => get(who, '/api/transfers', { direction: 'incoming' }),
      )),
    ];
    expect(wrong).toEqual([]);
    const incoming = (await get('dspH', '/api/transfers', { direction: 'incoming' })).body as Paged<Transfer>;
    expect(incoming.items.find((i) => i.id === transferId)).toMatchObject({
      status: 'sent',
      overdue: false,
      pupil: { id: pupil.id, upn: pupil.upn, firstName: pupil.firstName, lastName: pupil.lastName },
      from: { id: riversideId, name: 'Riverside Primary' },
      to: { id: hillcrestId, name: 'Hillcrest High' },
    });
    expect(incoming.total).toBeGreaterThanOrEqual(1);
    const outgoing = (await get('headR', '/api/transfers', { direction: 'outgoing' })).body as Paged<Transfer>;
    expect(outgoing.items.map((i) => i.id)).toContain(transferId);
    expect((await get('dspH', '/api/transfers', { direction: 'sideways' })).status).toBe(400);
    expect((await get('dspH', '/api/transfers', { direction: 'incoming', pageSize: '201' })).status).toBe(400);
  });

  it('only Hillcrest’s DSP confirms receipt: the sender and the head 403, the others 404', async () => {
    const wrong = await mismatches('receive (refused)', only({ dspR: 403, headR: 403, headH: 403 }), async (who) =>
      who === 'dspH' ? { status: 404 } : post(who, `/api/transfers/${transferId}/receive`),
    );
    expect(wrong).toEqual([]);
    const received = await post('dspH', `/api/transfers/${transferId}/receive`);
    expect(received.status).toBe(201);
    expect(received.body).toMatchObject({ status: 'received', receivedAt: expect.any(String) });
    expect((await post('dspH', `/api/transfers/${transferId}/receive`)).status).toBe(422);
  });

  it('after receipt: Hillcrest reads the pupil and the whole chronology; Riverside’s DSP and head what they held', async () => {
    const wrong = [
      ...(await mismatches('pupil', only({ teacherH: 200, dspH: 200, headH: 200, dspR: 200, headR: 200 }), (who) =>
        get(who, `/api/pupils/${pupil.id}`),
      )),
      ...(await mismatches('chronology', only({ dspH: 200, headH: 200, dspR: 200, headR: 200 }), (who) =>
        get(who, `/api/pupils/${pupil.id}/chronology`),
      )),
    ];
    expect(wrong).toEqual([]);
    const receiver = await testApp.as(ACCOUNTS.dspH).read<Chronology>(`/api/pupils/${pupil.id}/chronology`);
    const sender = await testApp.as(ACCOUNTS.dspR).read<Chronology>(`/api/pupils/${pupil.id}/chronology`);
    // The receiver reads every entry the sender read before, and the two transfer entries; so does the sender.
    const ids = (c: Chronology) => c.entries.map((e) => e.id);
    expect(ids(receiver)).toEqual(expect.arrayContaining(entriesBefore));
    expect(ids(sender)).toEqual(expect.arrayContaining(entriesBefore));
    expect(receiver.entries.length).toBeGreaterThanOrEqual(entriesBefore.length + 2);
    const transfers = await testApp
      .as(ACCOUNTS.headH)
      .read<Chronology>(`/api/pupils/${pupil.id}/chronology`, { kind: 'transfer' });
    expect(transfers.entries.map((e) => e.title)).toEqual([
      'Safeguarding file sent to Hillcrest High',
      'Safeguarding file received from Riverside Primary',
    ]);
    // No longer on Riverside's roll (its roll lists only pupils enrolled now).
    const roll = await testApp.as(ACCOUNTS.dspR).pupils({ pageSize: '200' });
    expect(roll.map((p) => p.id)).not.toContain(pupil.id);
  });

  it('audits the send, the receipt and every read of a transfer', async () => {
    const readers = { 'transfer.sent': 'headR', 'transfer.received': 'headH', 'transfer.viewed': 'headH' } as const;
    for (const [action, reader] of Object.entries(readers)) {
      const entries = await testApp.as(ACCOUNTS[reader]).get<Paged<unknown>>('/api/audit', { action });
      expect([action, entries.status, entries.body.total > 0]).toEqual([action, 200, true]);
    }
  });

  it('sends outside the local authority: sent_externally, nothing to receive', async () => {
    const other = (await testApp.as(ACCOUNTS.dspR).pupils({ pageSize: '200' })).find((p) => p.id !== pupil.id)!;
    const response = await post('dspR', `/api/pupils/${other.id}/transfers`, {
      toExternal: { name: 'Ysgol Aberaeron', localAuthority: 'Ceredigion' },
      sentBy: 'secure_email',
      leavingOn: yesterday(),
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      status: 'sent_externally',
      toOrganisationId: null,
      to: { id: null, name: 'Ysgol Aberaeron' },
    });
    const id = (response.body as Transfer).id;
    expect((await get('dspH', `/api/transfers/${id}`)).status).toBe(404);
    expect((await post('dspR', `/api/transfers/${id}/receive`)).status).toBe(403);
    // What goes is the chronology PDF: the transfer page links to it.
    const page = await (await openPageSession(testApp, ACCOUNTS.dspR)).get(`/transfers/${id}`);
    expect(page.text).toContain(`/api/pupils/${other.id}/chronology.pdf?lang=en`);
    expect(page.text).toContain('Sent outside the local authority');
  });

  describe('pages', () => {
    it('the send form comes back with errors beside the fields, in English and Welsh', async () => {
      const other = (await testApp.as(ACCOUNTS.dspR).pupils({ pageSize: '200' }))[0];
      const english = await openPageSession(testApp, ACCOUNTS.dspR);
      const form = await english.get(`/pupils/${other.id}`);
      expect(form.text).toContain(`/pupils/${other.id}/transfer`);
      const opened = await english.get(`/pupils/${other.id}/transfer`);
      expect(opened.status).toBe(200);
      expect(opened.text).toContain('Hillcrest High');
      expect(opened.text).toContain('A school outside the local authority');
      const refused = await english.post(`/pupils/${other.id}/transfer`, {
        destination: 'external',
        leavingOn: 'soon',
      });
      expect(refused.status).toBe(400);
      expect(refused.text).toContain('Enter the name of the school');
      expect(refused.text).toContain('Choose how the file went');
      expect(refused.text).toContain('Enter the leaving date');
      // A school of the LA chosen while an outside school is typed: asked again, nothing sent.
      const mixed = await english.post(`/pupils/${other.id}/transfer`, {
        destination: hillcrestId,
        externalName: 'Ysgol Gyfun Penglais',
        leavingOn: yesterday(),
      });
      expect(mixed.status).toBe(400);
      expect(mixed.text).toContain('also filled in a school outside it');
      const welsh = await openPageSession(testApp, ACCOUNTS.dspR, { language: 'cy' });
      const cy = await welsh.post(`/pupils/${other.id}/transfer`, { leavingOn: '' });
      expect(cy.status).toBe(400);
      expect(cy.text).toContain('Dewiswch i ble');
      expect(cy.text).toContain('Rhowch y dyddiad gadael');
    });

    it('sends and receives through the pages, with the lists and dashboards showing it', async () => {
      const riverside = await openPageSession(testApp, ACCOUNTS.dspR);
      const candidates = await testApp.as(ACCOUNTS.dspR).pupils({ pageSize: '200' });
      const next = candidates[candidates.length - 1];
      const sent = await riverside.submit(`/pupils/${next.id}/transfer`, `/pupils/${next.id}/transfer`, {
        destination: hillcrestId,
        leavingOn: yesterday(),
        note: 'Through the page',
      });
      expect(sent.status).toBe(303);
      const location = sent.headers.location;
      expect(location).toMatch(/^\/transfers\/[0-9a-f-]{36}\?done=sent$/);
      const id = location.split('/')[2].split('?')[0];

      const hillcrest = await openPageSession(testApp, ACCOUNTS.dspH);
      const dashboard = await hillcrest.get('/');
      expect(dashboard.text).toContain('Incoming, waiting for your receipt: 1');
      const list = await hillcrest.get('/transfers');
      expect(list.status).toBe(200);
      expect(list.text).toContain(next.lastName);
      expect(list.text).toContain(`/transfers/${id}`);
      const detail = await hillcrest.get(`/transfers/${id}`);
      expect(detail.text).toContain('Confirm receipt');
      expect(detail.text).toContain('Through the page');
      const head = await openPageSession(testApp, ACCOUNTS.headH);
      expect((await head.get(`/transfers/${id}`)).text).not.toContain(`action="/transfers/${id}/receive"`);
      const received = await hillcrest.submit(`/transfers/${id}`, `/transfers/${id}/receive`, {});
      expect(received.status).toBe(303);
      expect((await hillcrest.get(`/transfers/${id}?done=received`)).text).toContain('Receipt confirmed');

      // The chronology page's "Transfer" filter shows the file's journey, for the receiver and the sender.
      const filtered = await hillcrest.get(`/pupils/${next.id}/chronology?kind=transfer`);
      expect(filtered.status).toBe(200);
      expect(filtered.text).toContain('Safeguarding file sent to Hillcrest High');
      expect(filtered.text).toContain('Safeguarding file received from Riverside Primary');

      const welsh = await openPageSession(testApp, ACCOUNTS.dspR, { language: 'cy' });
      const cyChronology = await welsh.get(`/pupils/${next.id}/chronology?kind=transfer`);
      expect(cyChronology.status).toBe(200);
      expect(cyChronology.text).toContain('Ffeil ddiogelu wedi');
      expect(cyChronology.text).toContain('Ysgol Uwchradd Bryn Celyn');
      const cyList = await welsh.get('/transfers');
      expect(cyList.text).toContain('Trosglwyddo ffeiliau diogelu');
      expect(cyList.text).toContain('Derbyniwyd');
      expect((await welsh.get(`/transfers/${id}`)).text).toContain('Ffeil ddiogelu');
    });
  });
});
