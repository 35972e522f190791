import { SmtpInbox } from '../support/smtp-inbox';
import { bootTestApp, TestApp } from '../support/test-app';
import { cookieHeader, cookiesSetBy, csrfFieldOf, openPageSession, signInThroughForm } from '../support/web-session';

const PASSWORD = 'river bridges and hill forts 88';

/** The invitation page signed out, as a browser does it: its CSRF cookie and token, in either language. */
async function openInvitation(testApp: TestApp, path: string) {
  const page = await testApp.http().get(path);
  const set = cookiesSetBy(page);
  // What a browser keeps: the CSRF cookie, and the language cookie `?lang=` sets.
  const cookies: Record<string, string> = { sg_csrf: set.sg_csrf?.value ?? '' };
  if (set.sg_lang) cookies.sg_lang = set.sg_lang.value;
  const post = (fields: Record<string, string>) =>
    testApp
      .http()
      .post(path.split('?')[0])
      .set('Cookie', cookieHeader(cookies))
      .type('form')
      .send({ _csrf: csrfFieldOf(page.text), ...fields });
  return { page, post };
}

describe('The /admin pages and the invitation page (forms, CSRF, both languages, real email)', () => {
  let testApp: TestApp;
  let inbox: SmtpInbox;

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    testApp = await bootTestApp({ env: { SMTP_URL: inbox.url, APP_URL: 'http://app.test' } });
  });

  afterAll(async () => {
    await testApp.close();
    await inbox.close();
  });

  it('shows the admin links to organisations and accounts, with counts, on the dashboard', async () => {
    const admin = await openPageSession(testApp, 'admin@cardiff.example');
    const home = await admin.get('/');
    expect(home.text).toContain('href="/admin/organisations"');
    expect(home.text).toContain('href="/admin/users"');
    expect(home.text).toContain('3 active of 3');
    const head = await openPageSession(testApp, 'head@riverside.example');
    expect((await head.get('/')).text).toContain('Staff accounts');
    expect((await head.get('/admin/organisations')).status).toBe(403);
    const teacher = await openPageSession(testApp, 'teacher@riverside.example');
    expect((await teacher.get('/')).text).not.toContain('/admin/users');
    expect((await teacher.get('/admin/users')).status).toBe(403);
  });

  it('adds a school through the form: a bad code comes back with the error and what was typed; a good one is listed', async () => {
    const admin = await openPageSession(testApp, 'admin@cardiff.example');
    const bad = await admin.submit('/admin/organisations', '/admin/organisations', {
      kind: 'school',
      name: 'Ysgol y Môr',
      nameCy: '',
      code: '12',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('govuk-error-summary');
    expect(bad.text).toContain('The establishment code is 7 digits');
    expect(bad.text).toContain('value="Ysgol y Môr"');
    const taken = await admin.submit('/admin/organisations', '/admin/organisations', {
      kind: 'school',
      name: 'Copy',
      code: '6812101',
    });
    expect(taken.status).toBe(422);
    expect(taken.text).toContain('Another organisation already has this establishment code');
    const good = await admin.submit('/admin/organisations', '/admin/organisations', {
      kind: 'pru',
      name: 'Seaside PRU',
      nameCy: 'UCD Glan y Môr',
      code: '6811200',
    });
    expect(good.status).toBe(303);
    const list = await admin.get('/admin/organisations?lang=cy');
    expect(list.text).toContain('UCD Glan y Môr');
    expect(list.text).toContain('6811200');
  });

  it('counts an invited person as waiting, not active, on the admin’s dashboard', async () => {
    const admin = await openPageSession(testApp, 'admin@cardiff.example');
    const counts = async () => {
      const [, active, all, waiting] = /(\d+) active of (\d+); (\d+) waiting/.exec((await admin.get('/')).text)!;
      return { active: Number(active), all: Number(all), waiting: Number(waiting) };
    };
    const before = await counts();
    const organisations = await testApp
      .as('admin@cardiff.example')
      .read<{ items: Array<{ id: string; name: string }> }>('/api/organisations');
    const invited = await testApp.as('admin@cardiff.example').post('/api/users', {
      email: 'counted@hillcrest.example',
      name: 'Counted Once',
      organisationId: organisations.items.find((o) => o.name === 'Hillcrest High')!.id,
      role: 'staff',
    });
    expect(invited.status).toBe(201);
    expect(await counts()).toEqual({ active: before.active, all: before.all + 1, waiting: before.waiting + 1 });
  });

  it('invites a head teacher through the form; they accept in Welsh, choosing a password twice, then sign in', async () => {
    const admin = await openPageSession(testApp, 'admin@cardiff.example');
    const newPage = await admin.get('/admin/users/new');
    const riverside = /<option value="([0-9a-f-]{36})"[^>]*>Riverside Primary<\/option>/.exec(newPage.text)![1];
    const missing = await admin.submit('/admin/users/new', '/admin/users/new', {
      name: '',
      email: 'x',
      organisationId: riverside,
      role: 'dsp',
    });
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('Enter the name');
    const invited = await admin.submit('/admin/users/new', '/admin/users/new', {
      name: 'Gwen Prifathro',
      email: 'gwen@riverside.example',
      organisationId: riverside,
      role: 'head_teacher',
      language: 'cy',
    });
    expect(invited.status).toBe(303);
    const userPage = await admin.get(invited.headers.location);
    expect(userPage.text).toContain('The invitation has been sent');
    expect(userPage.text).toContain('Send a new invitation');

    const email = await inbox.waitFor('gwen@riverside.example');
    const path = new URL(SmtpInbox.linkIn(email, '/invite/')).pathname;
    const { page, post } = await openInvitation(testApp, `${path}?lang=cy`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Croeso, Gwen Prifathro');
    expect(page.text).toContain('Ysgol Gynradd Glan yr Afon');
    expect(page.text).toContain('Pennaeth');

    const mismatch = await post({ password: PASSWORD, confirm: 'something else entirely' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.text).toContain('Nid yw&#x27;r ddau gyfrinair yr un fath');
    const weak = await post({ password: 'gwen of the riverside', confirm: 'gwen of the riverside' });
    expect(weak.status).toBe(400);
    expect(weak.text).toContain('cyn yr @');
    const done = await post({ password: PASSWORD, confirm: PASSWORD });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Mae eich cyfrinair wedi');
    expect(done.text).toContain('href="/login?lang=cy"');
    // The used link: still a 404, but a page that says why and what to do (in Welsh, as chosen).
    const used = await post({ password: PASSWORD, confirm: PASSWORD });
    expect(used.status).toBe(404);
    expect(used.text).toContain('Ni ellir defnyddio&#x27;r ddolen wahoddiad hon');
    expect(used.text).toContain('href="/login"');

    const signedIn = await signInThroughForm(testApp, 'gwen@riverside.example', PASSWORD);
    expect(signedIn.response.status).toBe(303);
  });

  it('ends a role, deactivates and reactivates from a person’s page; the last admin’s role cannot be ended', async () => {
    const head = await openPageSession(testApp, 'head@riverside.example');
    const list = await head.get('/admin/users?q=teacher');
    const teacherId = /href="\/admin\/users\/([0-9a-f-]{36})"/.exec(list.text)![1];
    // A first click asks again, saying what will happen, and changes nothing.
    const asked = await head.submit(`/admin/users/${teacherId}`, `/admin/users/${teacherId}/active`, {
      active: 'false',
    });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('Deactivate this account?');
    expect(asked.text).toContain('They will be signed out at once');
    expect(asked.text).toContain('name="confirm" value="yes"');
    expect((await head.get(`/admin/users/${teacherId}`)).text).not.toContain('Deactivated');
    const deactivated = await head.submit(`/admin/users/${teacherId}`, `/admin/users/${teacherId}/active`, {
      active: 'false',
      confirm: 'yes',
    });
    expect(deactivated.status).toBe(303);
    expect((await head.get(deactivated.headers.location)).text).toContain('Deactivated');
    const reactivated = await head.submit(`/admin/users/${teacherId}`, `/admin/users/${teacherId}/active`, {
      active: 'true',
    });
    expect(reactivated.status).toBe(303);
    // Only "true" or "false": anything else is refused, never taken as a deactivation.
    const nonsense = await head.submit(`/admin/users/${teacherId}`, `/admin/users/${teacherId}/active`, {
      active: 'maybe',
    });
    expect(nonsense.status).toBe(400);
    expect((await head.get(`/admin/users/${teacherId}`)).text).not.toContain('Deactivated');

    const admin = await openPageSession(testApp, 'admin@cardiff.example');
    const adminList = await admin.get('/admin/users?q=admin%40cardiff');
    const adminId = /href="\/admin\/users\/([0-9a-f-]{36})"/.exec(adminList.text)![1];
    const adminPage = await admin.get(`/admin/users/${adminId}`);
    const endAction = /action="(\/admin\/users\/[^"]+\/end)"/.exec(adminPage.text)![1];
    const askedToEnd = await admin.submit(`/admin/users/${adminId}`, endAction, {});
    expect(askedToEnd.status).toBe(200);
    expect(askedToEnd.text).toContain('End this role?');
    expect(askedToEnd.text).toContain('Account administrator at Cardiff (demo)');
    const refused = await admin.submit(`/admin/users/${adminId}`, endAction, { confirm: 'yes' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('last active administrator');
  });
});

describe('When email cannot be sent', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    // Nothing listens on port 9 of loopback: every email fails to send.
    testApp = await bootTestApp({ env: { SMTP_URL: 'smtp://127.0.0.1:9' } });
  });

  afterAll(() => testApp.close());

  it('still creates the account, says the email was not sent and offers to send the invitation again', async () => {
    const admin = await openPageSession(testApp, 'admin@cardiff.example');
    const newPage = await admin.get('/admin/users/new');
    const hillcrest = /<option value="([0-9a-f-]{36})"[^>]*>Hillcrest High<\/option>/.exec(newPage.text)![1];
    const invited = await admin.submit('/admin/users/new', '/admin/users/new', {
      name: 'No Mail',
      email: 'nomail@hillcrest.example',
      organisationId: hillcrest,
      role: 'staff',
      language: 'en',
    });
    expect(invited.status).toBe(303);
    expect(invited.headers.location).toContain('emailFailed=1');
    const page = await admin.get(invited.headers.location);
    expect(page.text).toContain('the email could not be sent');
    expect(page.text).toContain('Send a new invitation');
    const api = await testApp
      .as('admin@cardiff.example')
      .get<{ items: Array<{ email: string }> }>('/api/users', { q: 'nomail' });
    expect(api.body.items.map((u) => u.email)).toEqual(['nomail@hillcrest.example']);
  });
});
