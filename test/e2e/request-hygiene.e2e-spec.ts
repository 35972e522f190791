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
});
