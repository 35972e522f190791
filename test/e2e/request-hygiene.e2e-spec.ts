import { Concern } from '../../src/dsp/concerns/concern.entity';
import { bootTestApp, TestApp } from '../support/test-app';

describe('Requests a browser or a curious user might send', () => {
  let testApp: TestApp;
  let bearer: { Authorization: string };

  beforeAll(async () => {
    testApp = await bootTestApp();
    bearer = { Authorization: `Bearer ${await testApp.tokenFor('dsp@riverside.example')}` };
  });

  afterAll(() => testApp.close());

  it.each(['/api/pupils/%00abc', '/api/concerns/%00', '/api/escalations/a%01b', '/pupils/%E0%A4%A'])(
    'answers 400, not 500, for the unreadable address %s',
    async (path) => {
      const response = await testApp.http().get(path).set(bearer);
      expect(response.status).toBe(400);
    },
  );

  it('tells browsers and proxies not to keep pages or API answers with pupil data', async () => {
    for (const path of ['/', '/pupils', '/api/pupils', '/api/me']) {
      const response = await testApp.http().get(path).set(bearer);
      expect(response.status).toBe(200);
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });

  it('lets the stylesheets be cached', async () => {
    const response = await testApp.http().get('/assets/app.css');
    expect(response.status).toBe(200);
    expect(response.headers['cache-control']).toMatch(/max-age=\d+/);
  });

  it("serves govuk-frontend's stylesheet without the GDS Transport font faces, so no page asks for a font that is not there", async () => {
    const response = await testApp.http().get('/assets/govuk/govuk-frontend.min.css');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/css/);
    expect(response.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(response.text).toContain('.govuk-button');
    expect(response.text).not.toContain('@font-face');
    expect(response.text).not.toMatch(/\/assets\/fonts\//);
  });

  it("does not change an account's language from a link, on another site or this one (only the switch's POST does)", async () => {
    const email = 'teacher@hillcrest.example';
    const token = { Authorization: `Bearer ${await testApp.tokenFor(email)}` };
    await testApp.http().get('/?lang=cy').set(token).set('Sec-Fetch-Site', 'cross-site');
    expect((await testApp.as(email).me()).language).toBe('en');
    await testApp.http().get('/?lang=cy').set(token).set('Sec-Fetch-Site', 'same-origin');
    expect((await testApp.as(email).me()).language).toBe('en');
  });

  describe('bodies built to make validation slow (issue 10)', () => {
    const concernWith = async (extra: Record<string, unknown>) => {
      const [pupil] = ((await testApp.http().get('/api/pupils').set(bearer)).body as { items: Array<{ id: string }> })
        .items;
      return {
        pupilId: pupil.id,
        occurredAt: new Date(Date.now() - 3600_000).toISOString(),
        category: 'wellbeing',
        summary: 'Crafted body',
        evidenceBasis: 'observed',
        ...extra,
      };
    };

    it.each([
      ['bodyMap', { bodyMap: Array.from({ length: 100_000 }, () => ({})) }],
      ['linkedPupils', { linkedPupils: Array.from({ length: 20_000 }, () => ({})) }],
    ])(
      'refuses %s with tens of thousands of items at once, naming the field, and stores nothing',
      async (field, extra) => {
        const before = await testApp.dataSource.getRepository(Concern).count();
        const response = await testApp
          .http()
          .post('/api/concerns')
          .set(bearer)
          .send(await concernWith(extra));
        const { errors } = response.body as { errors: Record<string, string[]> };
        expect(response.status).toBe(400);
        expect(Object.keys(errors)).toEqual([field]);
        expect(errors[field][0]).toMatch(/more than 200 items/);
        expect(await testApp.dataSource.getRepository(Concern).count()).toBe(before);
      },
    );

    it('answers a sign-in nested 5,000 levels deep with 400, not a stack overflow (500), signed out', async () => {
      const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
      const response = await testApp
        .http()
        .post('/api/auth/login')
        .set('Content-Type', 'application/json')
        .send(`{"email":"x@example.com","password":"y","extra":${deep}}`);
      expect(response.status).toBe(400);
      expect((response.body as { message: string }).message).toMatch(/too large or too deeply nested/);
    });

    it.each(['__proto__', 'constructor'])('refuses a body with a "%s" key, naming it', async (key) => {
      const body = JSON.stringify(await concernWith({}));
      const response = await testApp
        .http()
        .post('/api/concerns')
        .set(bearer)
        .set('Content-Type', 'application/json')
        .send(`{"${key}":{"polluted":true},${body.slice(1)}`);
      expect(response.status).toBe(400);
      expect(Object.keys((response.body as { errors: Record<string, string[]> }).errors)).toEqual([key]);
    });

    it('still takes an ordinary concern', async () => {
      const response = await testApp
        .http()
        .post('/api/concerns')
        .set(bearer)
        .send(await concernWith({ issues: ['attendance'] }));
      expect(response.status).toBe(201);
    });
  });
});
