import { meWithToken, Paged, signInToApi } from '../support/api';
import { SmtpInbox } from '../support/smtp-inbox';
import { bootTestApp, TestApp } from '../support/test-app';
import { auditCaughtUp } from '../support/audit-chain';

interface OrganisationItem {
  id: string;
  kind: string;
  name: string;
  nameCy: string | null;
  code: string | null;
  localAuthorityId: string | null;
  active: boolean;
}
interface AccountItem {
  id: string;
  email: string;
  name: string;
  language: string;
  active: boolean;
  twoFactorEnabled: boolean;
  invitationAccepted: boolean;
  emailSent?: boolean;
  memberships: Array<{ id: string; organisationId: string; role: string; endedAt: string | null }>;
}
interface ErrorAnswer {
  errors: Record<string, string[]>;
}

const ADMIN = 'admin@cardiff.example';
const PASSWORD = 'a long and unusual passphrase 42';

/**
 * API.md, "Accounts, organisations and the roll", over HTTP with the demo seed and a REAL SMTP server:
 * the admin adds a school, invites its head teacher, the head reads the email, follows the link, sets a
 * password and signs in; then manages their own staff, and deactivating stops their session at once.
 */
describe('Organisations and accounts over HTTP, with invitations by real email', () => {
  let testApp: TestApp;
  let inbox: SmtpInbox;

  beforeAll(async () => {
    inbox = await SmtpInbox.start();
    testApp = await bootTestApp({
      env: { SMTP_URL: inbox.url, APP_URL: 'http://app.test', MAIL_FROM: 'sg@test.example' },
    });
  });

  afterAll(async () => {
    await testApp.close();
    await inbox.close();
  });

  const admin = () => testApp.as(ADMIN);
  const tokenIn = (link: string) => link.split('/invite/')[1];
  const signIn = (email: string, password: string) => signInToApi(testApp, { email, password });

  it('lists the LA’s organisations with their codes to the admin, and only their own to a school', async () => {
    const all = await admin().read<Paged<OrganisationItem>>('/api/organisations');
    expect(all.total).toBe(4);
    expect(all.items.map((o) => [o.name, o.code, o.active])).toEqual([
      ['Cardiff (demo)', '681', true],
      ['Bridge PRU', '6811100', true],
      ['Hillcrest High', '6814012', true],
      ['Riverside Primary', '6812101', true],
    ]);
    const own = await testApp.as('dsp@riverside.example').read<Paged<OrganisationItem>>('/api/organisations');
    expect(own.items.map((o) => o.name)).toEqual(['Riverside Primary']);
    const paged = await admin().read<Paged<OrganisationItem>>('/api/organisations', { pageSize: '1', page: '2' });
    expect([paged.items.length, paged.total]).toEqual([1, 4]);
  });

  it('lets only the admin add an organisation; a code taken is 422 code, a malformed one 400', async () => {
    expect(
      (
        await testApp
          .as('lead@cardiff.example')
          .post('/api/organisations', { kind: 'school', name: 'X', code: '6810001' })
      ).status,
    ).toBe(403);
    expect((await admin().post('/api/organisations', { kind: 'school', name: 'X', code: '68100' })).status).toBe(400);
    const taken = await admin().post<ErrorAnswer>('/api/organisations', { kind: 'school', name: 'X', code: '6812101' });
    expect(taken.status).toBe(422);
    expect(Object.keys(taken.body.errors)).toEqual(['code']);
  });

  it('invites a head teacher to a new school by email; the link sets the password once, then they sign in', async () => {
    const school = await admin().created<OrganisationItem>('/api/organisations', {
      kind: 'school',
      name: 'Ysgol Newydd',
      nameCy: 'Ysgol Newydd',
      code: '6812999',
    });
    expect(school).toMatchObject({ kind: 'school', code: '6812999', active: true });

    const head = await admin().created<AccountItem>('/api/users', {
      email: 'New.Head@School.example',
      name: 'Nia Head',
      organisationId: school.id,
      role: 'head_teacher',
      language: 'cy',
    });
    expect(head).toMatchObject({ email: 'new.head@school.example', invitationAccepted: false, emailSent: true });

    const email = await inbox.waitFor('new.head@school.example');
    // Welsh first (the recipient's language), both languages, no secrets but the link itself.
    expect(email.text.indexOf('gwahodd')).toBeLessThan(email.text.indexOf('invited'));
    const link = SmtpInbox.linkIn(email, '/invite/');
    expect(link.startsWith('http://app.test/invite/')).toBe(true);

    // Before accepting: no way in.
    expect((await signIn('new.head@school.example', PASSWORD)).status).toBe(401);
    // The welcome page names the school and the role.
    const page = await testApp.http().get(`/invite/${tokenIn(link)}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Ysgol Newydd');

    const weak = await testApp
      .http()
      .post(`/api/invitations/${tokenIn(link)}`)
      .send({ password: 'new.head-password' });
    expect(weak.status).toBe(400);
    expect(Object.keys((weak.body as ErrorAnswer).errors)).toEqual(['password']);

    expect(
      (
        await testApp
          .http()
          .post(`/api/invitations/${tokenIn(link)}`)
          .send({ password: PASSWORD })
      ).status,
    ).toBe(204);
    expect(
      (
        await testApp
          .http()
          .post(`/api/invitations/${tokenIn(link)}`)
          .send({ password: PASSWORD })
      ).status,
    ).toBe(404);
    expect((await testApp.http().get(`/invite/${tokenIn(link)}`)).status).toBe(404);

    const signedIn = await signIn('new.head@school.example', PASSWORD);
    expect(signedIn.status).toBe(200);
    expect(signedIn.body.user).toMatchObject({ role: 'head_teacher', organisationId: school.id });
  });

  it('gives an existing account a new membership, never a second account, and emails them about it', async () => {
    const hillcrest = (await admin().read<Paged<OrganisationItem>>('/api/organisations')).items.find(
      (o) => o.name === 'Hillcrest High',
    )!;
    const before = await admin().read<Paged<AccountItem>>('/api/users', { q: 'dsp@riverside' });
    expect(before.total).toBe(1);
    const again = await admin().created<AccountItem>('/api/users', {
      email: 'dsp@riverside.example',
      name: 'Someone else',
      organisationId: hillcrest.id,
      role: 'staff',
    });
    expect(again.id).toBe(before.items[0].id);
    expect(again.memberships.map((m) => m.role).sort()).toEqual(['dsp', 'staff']);
    const email = await inbox.waitFor('dsp@riverside.example');
    expect(email.subject).toMatch(/new role/i);
    const dup = await admin().post<ErrorAnswer>('/api/users', {
      email: 'dsp@riverside.example',
      name: 'x',
      organisationId: hillcrest.id,
      role: 'staff',
    });
    expect(dup.status).toBe(422);
  });

  it('answers a head teacher with their own school’s staff only, 403 to other roles, 404 for accounts they do not manage', async () => {
    const head = testApp.as('head@riverside.example');
    const mine = await head.read<Paged<AccountItem>>('/api/users');
    expect(mine.items.map((u) => u.email).sort()).toEqual([
      'dsp@riverside.example',
      'head@riverside.example',
      'teacher@riverside.example',
    ]);
    expect((await testApp.as('dsp@riverside.example').get('/api/users')).status).toBe(403);
    const hillcrestTeacher = (await admin().read<Paged<AccountItem>>('/api/users', { q: 'teacher@hillcrest' }))
      .items[0];
    expect((await head.get(`/api/users/${hillcrestTeacher.id}`)).status).toBe(404);
    expect((await head.post(`/api/users/${hillcrestTeacher.id}/deactivate`)).status).toBe(404);
  });

  it('stops every session at once on deactivation; signing in is then 401 as a wrong password', async () => {
    const token = (await signIn('teacher@riverside.example', 'demo-password')).body.accessToken;
    expect((await meWithToken(testApp, token)).status).toBe(200);
    const teacher = (await admin().read<Paged<AccountItem>>('/api/users', { q: 'teacher@riverside' })).items[0];
    expect((await testApp.as('head@riverside.example').post(`/api/users/${teacher.id}/deactivate`)).status).toBe(204);
    expect((await meWithToken(testApp, token)).status).toBe(401);
    const refused = await signIn('teacher@riverside.example', 'demo-password');
    const wrong = await signIn('teacher@riverside.example', 'not the password');
    expect([refused.status, refused.body.message]).toEqual([wrong.status, wrong.body.message]);
    expect((await admin().post(`/api/users/${teacher.id}/reactivate`)).status).toBe(204);
    expect((await signIn('teacher@riverside.example', 'demo-password')).status).toBe(200);
  });

  it('ends a membership: sessions signed in with it stop; the last admin cannot be ended or deactivated', async () => {
    const adminAccount = (await admin().read<Paged<AccountItem>>('/api/users', { q: ADMIN })).items[0];
    const adminMembership = adminAccount.memberships[0];
    const refused = await testApp
      .http()
      .delete(`/api/memberships/${adminMembership.id}`)
      .set(await admin().authorization());
    expect(refused.status).toBe(422);
    expect(Object.keys((refused.body as ErrorAnswer).errors)).toEqual(['role']);

    const mash = (await admin().read<Paged<AccountItem>>('/api/users', { q: 'mash@cardiff' })).items[0];
    const mashToken = (await signIn('mash@cardiff.example', 'demo-password')).body.accessToken;
    const end = await testApp
      .http()
      .delete(`/api/memberships/${mash.memberships[0].id}`)
      .set(await testApp.as('lead@cardiff.example').authorization());
    expect(end.status).toBe(204);
    expect((await meWithToken(testApp, mashToken)).status).toBe(401);
    const after = await admin().read<AccountItem>(`/api/users/${mash.id}`);
    expect(after.memberships[0].endedAt).not.toBeNull();
  });

  it('filters by organisation with a true total, and pages through every account', async () => {
    const organisations = (await admin().read<Paged<OrganisationItem>>('/api/organisations')).items;
    const riverside = organisations.find((o) => o.name === 'Riverside Primary')!;
    const atRiverside = await admin().read<Paged<AccountItem>>('/api/users', { organisationId: riverside.id });
    expect(atRiverside.items.every((u) => u.memberships.some((m) => m.organisationId === riverside.id))).toBe(true);
    expect(atRiverside.total).toBe(atRiverside.items.length);
    const all = await admin().read<Paged<AccountItem>>('/api/users');
    const seen = new Set<string>();
    for (let page = 1; page <= Math.ceil(all.total / 3); page += 1)
      for (const u of (await admin().read<Paged<AccountItem>>('/api/users', { pageSize: '3', page: String(page) }))
        .items)
        seen.add(u.id);
    expect(seen.size).toBe(all.total);
    // A head teacher filtering by another school sees nobody.
    const hillcrest = organisations.find((o) => o.name === 'Hillcrest High')!;
    const none = await testApp
      .as('head@riverside.example')
      .read<Paged<AccountItem>>('/api/users', { organisationId: hillcrest.id });
    expect(none.total).toBe(0);
  });

  it('audited every change, with no token in any entry', async () => {
    await auditCaughtUp(testApp);
    const rows = await testApp.dataSource.query<Array<{ action: string; details: string | null }>>(
      'SELECT action, details FROM audit_entries',
    );
    const actions = new Set(rows.map((row) => row.action));
    for (const action of [
      'organisation.created',
      'user.invited',
      'invitation.accepted',
      'membership.added',
      'membership.ended',
      'user.deactivated',
      'user.reactivated',
    ])
      expect(actions).toContain(action);
    expect(rows.some((row) => /invite\/|token|password/i.test(row.details ?? ''))).toBe(false);
  });
});
