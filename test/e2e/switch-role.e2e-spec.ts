import { meWithToken, Paged, signInToApi } from '../support/api';
import { bootTestApp, DEMO_PASSWORD, TestApp } from '../support/test-app';
import { auditCaughtUp } from '../support/audit-chain';

interface RoleOption {
  membershipId: string;
  role: string;
  organisationId: string;
  organisationName: string;
  current: boolean;
}

/**
 * A person who works in two places (a DSP at Hillcrest who is also a DSP at Bridge PRU) signs in to
 * their first role and can go on in the other: the session ends and one in that role starts, every
 * record then seen is that organisation's, and the change is in the audit log. Nobody can switch into a
 * membership that is not theirs or has ended.
 */
describe('Working in another of one’s roles (API and page)', () => {
  let testApp: TestApp;
  let bridgeMembershipId: string;
  const DSP = 'dsp@hillcrest.example';

  beforeAll(async () => {
    testApp = await bootTestApp();
    const admin = testApp.as('admin@cardiff.example');
    const organisations = await admin.read<Paged<{ id: string; name: string }>>('/api/organisations');
    const bridge = organisations.items.find((o) => o.name === 'Bridge PRU')!;
    const users = await admin.read<Paged<{ id: string; email: string }>>('/api/users', { q: DSP });
    const added = await admin.post<{ id: string }>(`/api/users/${users.items[0].id}/memberships`, {
      organisationId: bridge.id,
      role: 'dsp',
    });
    expect(added.status).toBe(201);
    bridgeMembershipId = added.body.id;
  });

  afterAll(() => testApp.close());

  const signIn = async () => {
    const answer = await signInToApi(testApp, { email: DSP, password: DEMO_PASSWORD });
    expect(answer.status).toBe(200);
    return answer.body.accessToken;
  };
  const get = (token: string, path: string) => testApp.http().get(path).set('authorization', `Bearer ${token}`);

  it('lists both roles, the current one marked, and switches into the other', async () => {
    const token = await signIn();
    const roles = (await get(token, '/api/me/memberships')).body as Paged<RoleOption>;
    expect(roles.total).toBe(2);
    expect(roles.items.map((r) => [r.organisationName, r.role, r.current])).toEqual([
      ['Hillcrest High', 'dsp', true],
      ['Bridge PRU', 'dsp', false],
    ]);

    const switched = await testApp
      .http()
      .post('/api/auth/switch')
      .set('authorization', `Bearer ${token}`)
      .send({ membershipId: bridgeMembershipId });
    expect(switched.status).toBe(200);
    const { accessToken, user } = switched.body as { accessToken: string; user: { organisationId: string } };
    expect(user.organisationId).toBe(roles.items[1].organisationId);
    expect((await meWithToken(testApp, accessToken)).body.organisationId).toBe(roles.items[1].organisationId);
    // The session it came from has ended.
    expect((await meWithToken(testApp, token)).status).toBe(401);

    // Records are now Bridge PRU's: the dual-registered pupil of the demo is on its roll.
    const pupils = (await get(accessToken, '/api/pupils')).body as Paged<{
      enrolments: Array<{ organisationId: string }>;
    }>;
    expect(pupils.total).toBeGreaterThan(0);
    for (const pupil of pupils.items)
      expect(pupil.enrolments.map((e) => e.organisationId)).toContain(roles.items[1].organisationId);

    await auditCaughtUp(testApp);
    const audited = await testApp.dataSource.query<Array<{ role: string; organisation_id: string }>>(
      "SELECT actor_role AS role, actor_organisation_id AS organisation_id FROM audit_entries WHERE action = 'account.switched_role'",
    );
    expect(audited).toEqual([{ role: 'dsp', organisation_id: roles.items[1].organisationId }]);
  });

  it('answers 404 for a membership that is not the caller’s, and 400 for one that is not an id', async () => {
    const token = await signIn();
    const others = (await get(await testApp.tokenFor('dsp@riverside.example'), '/api/me/memberships'))
      .body as Paged<RoleOption>;
    const theirs = await testApp
      .http()
      .post('/api/auth/switch')
      .set('authorization', `Bearer ${token}`)
      .send({ membershipId: others.items[0].membershipId });
    expect(theirs.status).toBe(404);
    const malformed = await testApp
      .http()
      .post('/api/auth/switch')
      .set('authorization', `Bearer ${token}`)
      .send({ membershipId: 'not-an-id' });
    expect(malformed.status).toBe(400);
    expect((malformed.body as { errors: object }).errors).toHaveProperty('membershipId');
    // The refused attempts left the session as it was.
    expect((await meWithToken(testApp, token)).status).toBe(200);
  });

  it('offers the other role on /account to someone with two, and nobody else', async () => {
    const two = await get(await signIn(), '/account');
    expect(two.text).toContain('Your roles');
    expect(two.text).toContain('Work as Designated safeguarding person at Bridge PRU');
    const one = await get(await testApp.tokenFor('dsp@riverside.example'), '/account');
    expect(one.status).toBe(200);
    expect(one.text).not.toContain('Your roles');
  });
});
