import { bootTestApp, TestApp } from '../support/test-app';
import { cookieHeader, csrfFieldOf, signInThroughForm } from '../support/web-session';

/**
 * Pages say what actually went wrong when a domain rule is broken (typed domain errors), in English and
 * Welsh; and a malformed id in any route is a 400 (field error on the API, error page for people),
 * never a 500 or a database error, while a well-formed unknown id stays a 404.
 */
describe('page messages for broken rules, and malformed ids', () => {
  let testApp: TestApp;
  let dspToken: string;
  let pupilId: string;

  const api = (method: 'get' | 'post', path: string, token: string, body?: object) => {
    const request = testApp.http()[method](path).set('Authorization', `Bearer ${token}`);
    return body ? request.send(body) : request;
  };

  const recordConcern = async () => {
    const response = await api('post', '/api/concerns', dspToken, {
      pupilId,
      occurredAt: '2026-01-15T10:30:00Z',
      category: 'neglect',
      summary: 'Arrived hungry and cold again.',
      evidenceBasis: 'observed',
    });
    expect(response.status).toBe(201);
    return (response.body as { id: string }).id;
  };

  /** Opens the concern page as the DSP (in a language) and posts one of its forms. */
  const postOnConcernPage = async (
    language: 'en' | 'cy',
    concernId: string,
    form: 'decision' | 'escalations' | 'close',
    fields: Array<[string, string]>,
  ) => {
    const { cookies } = await signInThroughForm(testApp, 'dsp@riverside.example', undefined, { sg_lang: language });
    const page = await testApp.http().get(`/concerns/${concernId}`).set('Cookie', cookieHeader(cookies));
    expect(page.status).toBe(200);
    return testApp
      .http()
      .post(`/concerns/${concernId}/${form}`)
      .set('Cookie', cookieHeader(cookies))
      .type('form')
      .send(new URLSearchParams([['_csrf', csrfFieldOf(page.text)], ...fields]).toString());
  };

  beforeAll(async () => {
    testApp = await bootTestApp();
    dspToken = await testApp.tokenFor('dsp@riverside.example');
    const pupils = await api('get', '/api/pupils', dspToken);
    pupilId = (pupils.body as { items: Array<{ id: string }> }).items[0].id;
  });

  afterAll(() => testApp.close());

  describe('a referral on a route that already has one waiting', () => {
    const referral: Array<[string, string]> = [
      ['route', 'mash'],
      ['consentSought', 'yes'],
      ['consentGiven', 'no'],
      ['reasonForRoute', 'The family situation has got worse over the last week.'],
    ];

    it('says so on the route, in English and in Welsh, keeping the input', async () => {
      const concernId = await recordConcern();
      const first = await postOnConcernPage('en', concernId, 'escalations', referral);
      expect(first.status).toBe(303);

      const again = await postOnConcernPage('en', concernId, 'escalations', referral);
      expect(again.status).toBe(422);
      expect(again.text).toContain(
        '<a href="#route">This concern already has a referral on this route that is waiting for an answer',
      );
      expect(again.text).not.toContain('Something in the form could not be read');
      expect(again.text).toContain('The family situation has got worse over the last week.');

      const welsh = await postOnConcernPage('cy', concernId, 'escalations', referral);
      expect(welsh.status).toBe(422);
      expect(welsh.text).toContain('<a href="#route">Mae atgyfeiriad ar y llwybr hwn eisoes yn aros am ateb');
    });

    it('keeps the API answer as it was: 422 with rule referral_already_open on route', async () => {
      const concernId = await recordConcern();
      const body = {
        route: 'mash',
        reasonForRoute: 'The family situation has got worse over the last week.',
        consent: { sought: true, given: false },
      };
      expect((await api('post', `/api/concerns/${concernId}/escalations`, dspToken, body)).status).toBe(201);
      const again = await api('post', `/api/concerns/${concernId}/escalations`, dspToken, body);
      expect(again.status).toBe(422);
      expect(again.body).toMatchObject({
        statusCode: 422,
        rule: 'referral_already_open',
        message: 'This concern already has a referral on this route that is waiting for an answer',
        errors: { route: [expect.any(String)] },
      });
    });
  });

  describe('a closed concern', () => {
    let concernId: string;

    beforeAll(async () => {
      concernId = await recordConcern();
      const closed = await api('post', `/api/concerns/${concernId}/close`, dspToken, { rationale: 'Resolved.' });
      expect(closed.status).toBe(201);
    });

    it.each([
      ['en', 'This concern is closed: record a new concern for anything new'],
      ['cy', 'pryder hwn wedi cau: cofnodwch bryder newydd ar gyfer unrhyw beth newydd'],
    ] as const)('refuses a decision, saying it is closed (%s)', async (language, message) => {
      const refused = await postOnConcernPage(language, concernId, 'decision', [
        ['reasonableCause', 'no'],
        ['outcome', 'monitor'],
        ['rationale', 'Keep an eye on lunchtimes.'],
      ]);
      expect(refused.status).toBe(422);
      expect(refused.text).toContain('<a href="#outcome">');
      expect(refused.text).toContain(message);
    });

    it('refuses closing it again and a referral, each on its own form', async () => {
      const close = await postOnConcernPage('en', concernId, 'close', [['closeRationale', 'Again.']]);
      expect(close.status).toBe(422);
      expect(close.text).toContain('<a href="#closeRationale">This concern is closed');
      const refer = await postOnConcernPage('en', concernId, 'escalations', [
        ['route', 'mash'],
        ['consentSought', 'yes'],
        ['consentGiven', 'no'],
        ['reasonForRoute', 'The family situation has got worse over the last week.'],
      ]);
      expect(refer.status).toBe(422);
      expect(refer.text).toContain('<a href="#route">This concern is closed');
    });
  });

  describe('malformed ids', () => {
    const MALFORMED = ['not-a-uuid', '1', "1'%20OR%20'1'='1", '00000000-0000-4000-8000-00000000000g'];
    const UNKNOWN = '00000000-0000-4000-8000-000000000000';

    const apiRoutes = (id: string): Array<['get' | 'post', string, string, object?]> => [
      ['get', `/api/pupils/${id}`, 'dsp@riverside.example'],
      ['get', `/api/pupils/${id}/chronology`, 'dsp@riverside.example'],
      ['get', `/api/concerns/${id}`, 'dsp@riverside.example'],
      ['get', `/api/concerns/${id}/guidance`, 'dsp@riverside.example'],
      ['post', `/api/concerns/${id}/decision`, 'dsp@riverside.example', { outcome: 'monitor', rationale: 'x' }],
      ['post', `/api/concerns/${id}/close`, 'dsp@riverside.example', { rationale: 'x' }],
      [
        'post',
        `/api/concerns/${id}/escalations`,
        'dsp@riverside.example',
        { route: 'mash', consent: { sought: true, given: false } },
      ],
      ['get', `/api/escalations/${id}`, 'dsp@riverside.example'],
      ['get', `/api/la/escalations/${id}`, 'mash@cardiff.example'],
      ['post', `/api/la/escalations/${id}/acknowledge`, 'mash@cardiff.example'],
      [
        'post',
        `/api/la/escalations/${id}/outcome`,
        'mash@cardiff.example',
        { outcome: 'no_further_action', note: 'x' },
      ],
    ];

    it.each(MALFORMED)('answers 400 naming id on every API route for %s', async (id) => {
      for (const [method, path, email, body] of apiRoutes(id)) {
        const response = await api(method, path, await testApp.tokenFor(email), body);
        expect({ path, status: response.status }).toEqual({ path, status: 400 });
        expect((response.body as { errors: object }).errors).toHaveProperty('id');
      }
    });

    it('still answers 404 for a well-formed id that does not exist', async () => {
      for (const [method, path, email, body] of apiRoutes(UNKNOWN)) {
        const response = await api(method, path, await testApp.tokenFor(email), body);
        expect({ path, status: response.status }).toEqual({ path, status: 404 });
      }
    });

    it('documents each id as a UUID path parameter in the OpenAPI document', async () => {
      const document = (await testApp.http().get('/api/openapi.json')).body as {
        paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; schema?: object }> }>>;
      };
      for (const [method, path] of apiRoutes('{id}')) {
        const parameters = document.paths[path]?.[method]?.parameters ?? [];
        expect({ path, id: parameters.filter((p) => p.name === 'id') }).toEqual({
          path,
          id: [
            expect.objectContaining({
              in: 'path',
              required: true,
              schema: expect.objectContaining({ format: 'uuid' }),
            }),
          ],
        });
      }
    });

    it('shows the error page (400) on the pages, and 404 for an unknown id', async () => {
      const pages: Array<[string, string]> = [
        ['/pupils/ID', 'dsp@riverside.example'],
        ['/pupils/ID/chronology', 'dsp@riverside.example'],
        ['/concerns/ID', 'dsp@riverside.example'],
        ['/la/escalations/ID', 'mash@cardiff.example'],
        ['/la/services/ID/edit', 'lead@cardiff.example'],
      ];
      for (const [page, email] of pages) {
        const token = await testApp.tokenFor(email);
        const malformed = await testApp
          .http()
          .get(page.replace('ID', 'not-a-uuid'))
          .set('Authorization', `Bearer ${token}`);
        expect({ page, status: malformed.status }).toEqual({ page, status: 400 });
        expect(malformed.text).toContain('Something in the request was not right');
        const unknown = await testApp.http().get(page.replace('ID', UNKNOWN)).set('Authorization', `Bearer ${token}`);
        expect({ page, status: unknown.status }).toEqual({ page, status: 404 });
      }
    });
  });
});
