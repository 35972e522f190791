import { CHRONOLOGY_KINDS } from '../../src/chronology/chronology.mapper';
import { connect } from 'node:net';
import { AddressInfo } from 'node:net';
import { Concern as ConcernEntity } from '../../src/dsp/concerns/concern.entity';
import { Escalation } from '../../src/dsp/escalations/escalation.entity';
import { ApiClient, ErrorBody } from '../support/api';
import { bootTestApp, TestApp } from '../support/test-app';
import { openPageSession, PageSession } from '../support/web-session';

/** Issue 10's low findings on input: each request below is the attack, sent over HTTP. */
describe('Input validation limits (issue 10)', () => {
  let testApp: TestApp;
  let dsp: ApiClient;
  let pupilId: string;
  let concernId: string;

  const concernBody = (extra: Record<string, unknown> = {}) => ({
    pupilId,
    occurredAt: new Date(Date.now() - 3600_000).toISOString(),
    category: 'wellbeing',
    summary: 'Seemed withdrawn at break.',
    evidenceBasis: 'observed',
    ...extra,
  });
  const consent = { sought: true, given: true, givenBy: 'Mother' };
  const stored = async () => ({
    concerns: await testApp.dataSource.getRepository(ConcernEntity).count(),
    referrals: await testApp.dataSource.getRepository(Escalation).count(),
  });
  /** Posts and expects a 400 whose errors are exactly `errors`, with nothing stored. */
  const refused = async (path: string, body: object, errors: Record<string, string[]>) => {
    const before = await stored();
    const response = await dsp.post<ErrorBody>(path, body);
    expect({ status: response.status, errors: response.body.errors }).toEqual({ status: 400, errors });
    expect(await stored()).toEqual(before);
  };

  beforeAll(async () => {
    testApp = await bootTestApp();
    dsp = testApp.as('dsp@riverside.example');
    pupilId = (await dsp.pupils())[0].id;
    concernId = (await dsp.created('/api/concerns', concernBody())).id;
  });

  afterAll(() => testApp.close());

  describe('every list has a maximum, checked before any of its items', () => {
    it.each([
      ['bodyMap', 51, () => ({}), 50],
      ['linkedPupils', 21, () => ({}), 20],
      ['issues', 40, () => 'attendance', 0],
      ['indicators', 40, () => 'unknown', 0],
    ])('refuses %s with %i items naming only the list, not each item', async (field, count, item) => {
      const response = await dsp.post<ErrorBody>(
        '/api/concerns',
        concernBody({ [field]: Array.from({ length: count }, item) }),
      );
      expect(response.status).toBe(400);
      expect(Object.keys(response.body.errors ?? {})).toEqual([field]);
      expect(response.body.errors?.[field]).toEqual([expect.stringMatching(/^\w+ must have at most \d+ items$/)]);
    });

    it('gives the limits DOMAIN.md suits: 50 body-map marks, 20 linked pupils', async () => {
      await refused('/api/concerns', concernBody({ bodyMap: Array.from({ length: 51 }, () => ({})) }), {
        bodyMap: ['bodyMap must have at most 50 items'],
      });
      await refused('/api/concerns', concernBody({ linkedPupils: Array.from({ length: 21 }, () => ({})) }), {
        linkedPupils: ['linkedPupils must have at most 20 items'],
      });
    });

    it('refuses a referral with 21 household members or 31 agencies, naming the list', async () => {
      const path = `/api/concerns/${concernId}/escalations`;
      const member = { name: 'Carys Evans', relationship: 'Aunt' };
      await refused(
        path,
        { route: 'mash', consent, referral: { householdMembers: Array.from({ length: 21 }, () => member) } },
        { 'referral.householdMembers': ['householdMembers must have at most 20 items'] },
      );
      await refused(
        path,
        { route: 'mash', consent, referral: { householdMembers: Array.from({ length: 25 }, () => ({})) } },
        { 'referral.householdMembers': ['householdMembers must have at most 20 items'] },
      );
      await refused(
        path,
        { route: 'mash', consent, referral: { agenciesInvolved: Array.from({ length: 31 }, () => '') } },
        { 'referral.agenciesInvolved': ['agenciesInvolved must have at most 30 items'] },
      );
    });

    it('still takes 20 household members', async () => {
      const members = Array.from({ length: 20 }, (_, i) => ({ name: `Person ${i + 1}`, relationship: 'Cousin' }));
      const response = await dsp.post(`/api/concerns/${concernId}/escalations`, {
        route: 'early_help',
        consent,
        referral: { householdMembers: members },
      });
      expect(response.status).not.toBe(400);
    });

    it('refuses a chronology filter naming more kinds than there are, on the API and the page', async () => {
      const kinds = Array.from({ length: CHRONOLOGY_KINDS.length + 1 }, () => 'decision').join(',');
      const api = await dsp.get<ErrorBody>(`/api/pupils/${pupilId}/chronology`, { kind: kinds });
      expect(api.status).toBe(400);
      expect(Object.keys(api.body.errors ?? {})).toEqual(['kind']);
      const page = await openPageSession(testApp, 'dsp@riverside.example');
      expect((await page.get(`/pupils/${pupilId}/chronology?kind=${kinds}`)).status).toBe(400);
    });

    describe('on the pages, a post with more rows than the form has is refused, not cut short', () => {
      let page: PageSession;
      beforeAll(async () => {
        page = await openPageSession(testApp, 'dsp@riverside.example');
      });

      it('refuses 4 linked pupils on the concern form (it has 3 rows), in English and Welsh', async () => {
        const fields: Array<[string, string]> = [
          ['pupilId', pupilId],
          ['summary', 'Something happened'],
        ];
        for (let row = 0; row < 4; row += 1) fields.push([`linkedPupils[${row}][pupilId]`, pupilId]);
        const before = await stored();
        const english = await page.post('/concerns', [...fields, ['action', 'record']]);
        expect(english.status).toBe(400);
        expect(english.text).toContain('Something in the request was not right');
        const welsh = await page.post('/concerns?lang=cy', [...fields, ['action', 'record']]);
        expect(welsh.status).toBe(400);
        expect(welsh.text).toContain('Nid oedd rhywbeth yn y cais yn iawn');
        expect(await stored()).toEqual(before);
      });

      it('refuses 5 household members on the referral form (it has 4 rows)', async () => {
        const fields: Array<[string, string]> = [['route', 'mash']];
        for (let row = 0; row < 5; row += 1) {
          fields.push([`householdMembers[${row}][name]`, `Person ${row}`]);
          fields.push([`householdMembers[${row}][relationship]`, 'Cousin']);
        }
        const before = await stored();
        const response = await page.post(`/concerns/${concernId}/escalations`, fields);
        expect(response.status).toBe(400);
        expect(response.text).toContain('Something in the request was not right');
        expect(await stored()).toEqual(before);
      });
    });
  });

  describe('a NUL is refused everywhere, never a 500 (PostgreSQL cannot store one)', () => {
    it('in a page query: GET /concerns/new?pupilId=%00', async () => {
      const page = await openPageSession(testApp, 'dsp@riverside.example');
      const response = await page.get('/concerns/new?pupilId=%00');
      expect(response.status).toBe(400);
      expect(response.text).toContain('Something in the request was not right');
    });

    it('in an API query, naming the parameter', async () => {
      const response = await dsp.get<ErrorBody>('/api/concerns', { status: '\u0000' });
      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual({ status: ['status must not contain a NUL character'] });
    });

    it('in a form value, even one that is only an id', async () => {
      const page = await openPageSession(testApp, 'dsp@riverside.example');
      const before = await stored();
      const response = await page.post('/concerns', [
        ['pupilId', '\u0000'],
        ['summary', 'Something happened'],
        ['action', 'record'],
      ]);
      expect(response.status).toBe(400);
      expect(await stored()).toEqual(before);
    });

    it('in JSON, in a value or a key, naming the field', async () => {
      await refused(
        `/api/concerns/${concernId}/escalations`,
        { route: 'mash', consent, referral: { householdMembers: [{ name: 'Ann\u0000', relationship: 'Aunt' }] } },
        { 'referral.householdMembers.0.name': ['referral.householdMembers.0.name must not contain a NUL character'] },
      );
      await refused(
        '/api/concerns',
        { ...concernBody(), ['odd\u0000']: 1 },
        {
          'odd\u0000': ['odd\u0000 must not contain a NUL character'],
        },
      );
    });

    it('in a path', async () => {
      expect((await dsp.get(`/api/pupils/${pupilId}%00`)).status).toBe(400);
    });
  });

  it('answers a malformed request target (a port out of range) without a 500', async () => {
    const server = testApp.app.getHttpServer() as import('node:http').Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const statusLine = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(`GET http://127.0.0.1:99999/ HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`),
      );
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
      socket.on('end', () => resolve(answer.split('\r\n')[0]));
      socket.on('error', reject);
    });
    expect(statusLine).toMatch(/^HTTP\/1\.1 [1-4]\d\d /);
  });

  describe('text: C1 controls and lone surrogates are refused, not stored or changed', () => {
    it.each([
      ['U+0085 (next line)', 'a\u0085b'],
      ['U+009B (control sequence introducer)', '\u009b31mred'],
    ])('refuses %s in a summary and a household name', async (_label, text) => {
      await refused('/api/concerns', concernBody({ summary: text }), {
        summary: ['summary must not contain control characters'],
      });
      await refused(
        `/api/concerns/${concernId}/escalations`,
        { route: 'mash', consent, referral: { householdMembers: [{ name: text, relationship: 'Aunt' }] } },
        { 'referral.householdMembers.0.name': ['name must not contain control characters'] },
      );
    });

    it('refuses a lone surrogate sent as a JSON escape (it would be read back as U+FFFD)', async () => {
      const before = await stored();
      const json = JSON.stringify(concernBody({ summary: 'SURROGATE' })).replace('SURROGATE', 'lone \\ud800 surrogate');
      const response = await testApp
        .http()
        .post('/api/concerns')
        .set(await dsp.authorization())
        .set('Content-Type', 'application/json')
        .send(json);
      expect(response.status).toBe(400);
      expect((response.body as ErrorBody).errors).toEqual({ summary: ['summary must not contain control characters'] });
      expect(await stored()).toEqual(before);
    });

    it('keeps tabs, new lines, Welsh letters and emoji exactly as sent', async () => {
      const summary = 'Dywedodd:\t"Mae ŵyr yn drist" 🙂\r\nAil linell';
      const created = await dsp.post<{ summary: string }>('/api/concerns', concernBody({ summary }));
      expect(created.status).toBe(201);
      expect(created.body.summary).toBe(summary);
    });
  });

  describe("the child's words' language and a household member's date of birth", () => {
    it.each([
      ['childsWordsLanguage', { childsWordsLanguage: 'cy' }, 'childsWordsLanguage is only given with childsWords'],
      [
        'childsWordsLanguageName',
        { childsWordsLanguage: 'other', childsWordsLanguageName: 'Polish' },
        'childsWordsLanguageName is only given with childsWords',
      ],
    ])('refuses %s without the words (it would be dropped unseen)', async (field, extra, message) => {
      const before = await stored();
      const response = await dsp.post<ErrorBody>('/api/concerns', concernBody(extra));
      expect(response.status).toBe(400);
      expect(response.body.errors?.[field]).toEqual([message]);
      expect(await stored()).toEqual(before);
    });

    it('still takes the words with their language', async () => {
      const response = await dsp.post(
        '/api/concerns',
        concernBody({ childsWords: 'Dw i ofn', childsWordsLanguage: 'cy' }),
      );
      expect(response.status).toBe(201);
    });

    const tomorrow = new Date(Date.now() + 2 * 24 * 3600_000).toISOString().slice(0, 10);
    it.each([
      '9999-12-31',
      tomorrow,
      '1989-04-12T00:00:00Z',
      '1989-04-12T10:00',
      '1899-12-31',
      '1989-02-30',
      '89-04-12',
    ])('refuses a household member born on %s', async (dateOfBirth) => {
      await refused(
        `/api/concerns/${concernId}/escalations`,
        {
          route: 'mash',
          consent,
          referral: { householdMembers: [{ name: 'Ann', relationship: 'Aunt', dateOfBirth }] },
        },
        {
          'referral.householdMembers.0.dateOfBirth': [
            'dateOfBirth must be a real date (YYYY-MM-DD), not in the future',
          ],
        },
      );
    });
  });

  describe('no page links off the site from the address it was asked for', () => {
    const offSite = (html: string) =>
      [...html.matchAll(/\s(?:href|action|formaction|src)="([^"]*)"/g)]
        .map((match) => match[1])
        .filter((url) => !/^(\/(?![/\\])|#|data:)/.test(url));

    it.each(['', '?lang=cy'])(
      'the 404 page for //evil.example//attacker.example/%s, signed out and signed in',
      async (query) => {
        const path = `//evil.example//attacker.example/${query}`;
        const signedOut = await testApp.http().get(path);
        expect(signedOut.status).toBe(404);
        expect(signedOut.text).toContain('action="/language"');
        expect(offSite(signedOut.text)).toEqual([]);
        expect(signedOut.text).not.toContain('attacker.example');
        const page = await openPageSession(testApp, 'dsp@riverside.example');
        const signedIn = await page.get(path);
        expect(signedIn.status).toBe(404);
        expect(offSite(signedIn.text)).toEqual([]);
        expect(signedIn.text).not.toContain('attacker.example');
      },
    );
  });
});
