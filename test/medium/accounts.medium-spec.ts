import { randomBytes } from 'node:crypto';
import { AccountsService, INVITATION_TTL_MS } from '../../src/accounts/accounts.service';
import { InvitationsService } from '../../src/accounts/invitations.service';
import { OrganisationsAdminService } from '../../src/accounts/organisations-admin.service';
import { notSignedOut } from '../../src/auth/jwt.strategy';
import { SessionRegistry } from '../../src/auth/session-registry';
import { Actor } from '../../src/common/actor';
import { DomainError, ErrorCode } from '../../src/common/domain-error';
import { newId } from '../../src/common/ids';
import { Role } from '../../src/common/roles';
import { Mailer } from '../../src/mail/mailer';
import { Organisation } from '../../src/organisations/organisation.entity';
import { OrganisationsService } from '../../src/organisations/organisations.service';
import { Factory } from '../support/factory';
import { bootTestApp, TestApp } from '../support/test-app';
import { setClock } from '../support/clock';
import { auditCaughtUp } from '../support/audit-chain';

/** 'ok', 'forbidden', 'not_found', or '422 <field>' (or another error code). */
type Outcome = string;

async function outcomeOf(work: () => Promise<unknown>): Promise<Outcome> {
  try {
    await work();
    return 'ok';
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.code === ErrorCode.Forbidden) return 'forbidden';
    if (error.code === ErrorCode.NotFound) return 'not_found';
    if (error.code === ErrorCode.RuleBroken) return `422 ${Object.keys(error.errors)[0]}`;
    return error.code;
  }
}

const ALL_ROLES: Role[] = ['staff', 'dsp', 'head_teacher', 'la_mash', 'la_early_help', 'la_lead', 'admin'];
const SCHOOL_ROLES: Role[] = ['staff', 'dsp', 'head_teacher'];
const LA_TEAM: Role[] = ['la_mash', 'la_early_help', 'la_lead'];

describe('Accounts: who manages whom, invitations and sessions, on a real database', () => {
  let testApp: TestApp;
  let factory: Factory;
  let accounts: AccountsService;
  let organisationsAdmin: OrganisationsAdminService;
  let invitations: InvitationsService;
  let la: Organisation;
  let school: Organisation;
  let otherSchool: Organisation;
  let otherLa: Organisation;
  let otherLaSchool: Organisation;
  const sent: Array<{ to: string; kind: string; link: string }> = [];

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
    factory = new Factory(testApp.dataSource);
    accounts = testApp.app.get(AccountsService);
    organisationsAdmin = testApp.app.get(OrganisationsAdminService);
    invitations = testApp.app.get(InvitationsService);
    // The outbox is not what these tests are about: keep what would have been sent.
    jest.spyOn(testApp.app.get(Mailer), 'send').mockImplementation((email) => {
      sent.push({ to: email.to, kind: email.kind, link: email.link });
      return Promise.resolve();
    });
    la = await factory.localAuthority({ name: 'Matrix LA' });
    school = await factory.school(la, { name: 'Matrix School' });
    otherSchool = await factory.school(la, { name: 'Other School' });
    otherLa = await factory.localAuthority({ name: 'Elsewhere LA' });
    otherLaSchool = await factory.school(otherLa, { name: 'Elsewhere School' });
  });

  afterAll(() => testApp.close());

  const places = () => [
    { label: 'the LA', organisation: la },
    { label: 'a school of the LA', organisation: school },
    { label: 'another school of the LA', organisation: otherSchool },
    { label: 'another LA', organisation: otherLa },
    { label: 'a school of another LA', organisation: otherLaSchool },
  ];

  /** API.md's table, written out independently of the code's rule. */
  function expected(manager: { role: Role; at: 'la' | 'school' }, place: Organisation, role: Role): boolean {
    switch (manager.role) {
      case 'admin':
        return place.id === la.id || place.localAuthorityId === la.id;
      case 'head_teacher':
        return place.id === school.id && SCHOOL_ROLES.includes(role);
      case 'la_lead':
        return place.id === la.id && LA_TEAM.includes(role);
      default:
        return false;
    }
  }

  const managers: Array<{ role: Role; at: 'la' | 'school' }> = [
    { role: 'admin', at: 'la' },
    { role: 'head_teacher', at: 'school' },
    { role: 'la_lead', at: 'la' },
    { role: 'staff', at: 'school' },
    { role: 'dsp', at: 'school' },
    { role: 'la_mash', at: 'la' },
    { role: 'la_early_help', at: 'la' },
  ];
  const fits = (organisation: Organisation, role: Role) =>
    organisation.kind === 'local_authority' ? !SCHOOL_ROLES.includes(role) : SCHOOL_ROLES.includes(role);

  describe.each(managers)('a caller who is $role', (manager) => {
    let caller: Actor;
    beforeAll(async () => {
      caller = await factory.actor(manager.at === 'la' ? la : school, manager.role);
    });

    it('sees, and may deactivate, exactly the accounts API.md says, in every organisation and role', async () => {
      const wrong: string[] = [];
      for (const { label, organisation } of places())
        for (const role of ALL_ROLES.filter((r) => fits(organisation, r))) {
          const target = await factory.actor(organisation, role);
          const manages = expected(manager, organisation, role);
          const get = await outcomeOf(() => accounts.get(caller, target.userId));
          const want = !['admin', 'head_teacher', 'la_lead'].includes(manager.role)
            ? 'forbidden'
            : manages
              ? 'ok'
              : 'not_found';
          if (get !== want) wrong.push(`get ${role} at ${label}: ${get}, expected ${want}`);
          if (want !== 'forbidden') {
            const listed = (await accounts.list(caller, { q: target.email })).items.some((u) => u.id === target.userId);
            if (listed !== manages) wrong.push(`list ${role} at ${label}: ${listed}`);
            const deactivate = await outcomeOf(() => accounts.deactivate(caller, target.userId));
            if (deactivate !== want) wrong.push(`deactivate ${role} at ${label}: ${deactivate}, expected ${want}`);
            if (deactivate === 'ok') await accounts.reactivate(caller, target.userId);
          }
        }
      expect(wrong).toEqual([]);
    });

    it('may invite to exactly the organisations and roles API.md says (403 a role it does not manage, 422 outside the LA or a role the kind has not)', async () => {
      const wrong: string[] = [];
      for (const { label, organisation } of places())
        for (const role of ALL_ROLES) {
          const got = await outcomeOf(() =>
            accounts.invite(caller, {
              email: `invited.${randomBytes(4).toString('hex')}@matrix.example`,
              name: 'Invited',
              organisationId: organisation.id,
              role,
            }),
          );
          const inLa = organisation.id === la.id || organisation.localAuthorityId === la.id;
          const want = !['admin', 'head_teacher', 'la_lead'].includes(manager.role)
            ? 'forbidden'
            : !inLa
              ? '422 organisationId'
              : !fits(organisation, role)
                ? '422 role'
                : expected(manager, organisation, role)
                  ? 'ok'
                  : 'forbidden';
          if (got !== want) wrong.push(`invite ${role} at ${label}: ${got}, expected ${want}`);
        }
      expect(wrong).toEqual([]);
    });
  });

  describe('invitations', () => {
    let admin: Actor;
    beforeAll(async () => {
      admin = await factory.actor(la, 'admin');
    });
    afterEach(() => jest.useRealTimers());

    const tokenOf = (to: string) =>
      sent
        .filter((e) => e.to === to)
        .at(-1)!
        .link.split('/invite/')[1];

    it('works once, within 72 hours: expired and used links are 404, and resending stops the earlier link', async () => {
      const start = new Date('2026-12-01T09:00:00Z');
      setClock(start);
      const email = `late.${newId().slice(0, 8)}@matrix.example`;
      const { account } = await accounts.invite(admin, {
        email,
        name: 'Late',
        organisationId: school.id,
        role: 'staff',
      });
      const first = tokenOf(email);

      jest.setSystemTime(new Date(start.getTime() + INVITATION_TTL_MS + 1000));
      expect(await outcomeOf(() => invitations.describe(first))).toBe('not_found');
      expect(await outcomeOf(() => invitations.accept(first, 'a perfectly fine passphrase'))).toBe('not_found');

      await accounts.resendInvitation(admin, account.id);
      const second = tokenOf(email);
      expect(second).not.toBe(first);
      jest.setSystemTime(new Date(start.getTime() + 2 * INVITATION_TTL_MS - 60_000));
      expect((await invitations.describe(second)).role).toBe('staff');
      expect(await outcomeOf(() => invitations.accept(second, 'late'))).toBe('invalid_input');
      await invitations.accept(second, 'a perfectly fine passphrase');
      expect(await outcomeOf(() => invitations.accept(second, 'another fine passphrase'))).toBe('not_found');
      expect(await outcomeOf(() => accounts.resendInvitation(admin, account.id))).toBe('422 invitation');
    });

    it('stops the link of an account deactivated before it was followed, and of a role ended meanwhile', async () => {
      const email = `gone.${newId().slice(0, 8)}@matrix.example`;
      const { account } = await accounts.invite(admin, { email, name: 'Gone', organisationId: school.id, role: 'dsp' });
      const token = tokenOf(email);
      await accounts.deactivate(admin, account.id);
      expect(await outcomeOf(() => invitations.describe(token))).toBe('not_found');
      await accounts.reactivate(admin, account.id);
      await accounts.endMembership(admin, account.memberships[0].id);
      expect(await outcomeOf(() => invitations.describe(token))).toBe('not_found');
    });

    it('stores only the token’s hash, and audits without it', async () => {
      const email = `hash.${newId().slice(0, 8)}@matrix.example`;
      await accounts.invite(admin, { email, name: 'Hash', organisationId: school.id, role: 'staff' });
      const token = tokenOf(email);
      const rows = await testApp.dataSource.query<Array<{ token_hash: string }>>('SELECT token_hash FROM invitations');
      expect(rows.some((row) => row.token_hash === token)).toBe(false);
      await auditCaughtUp(testApp);
      const audit = await testApp.dataSource.query<Array<{ details: string | null }>>(
        'SELECT details FROM audit_entries',
      );
      expect(audit.some((row) => (row.details ?? '').includes(token))).toBe(false);
    });
  });

  describe('sessions', () => {
    let admin: Actor;
    const organisations = () => testApp.app.get(OrganisationsService);
    const registry = () => testApp.app.get(SessionRegistry);

    beforeAll(async () => {
      admin = await factory.actor(la, 'admin');
    });

    async function sessionOf(actor: Actor): Promise<string> {
      const jti = newId();
      await registry().start(testApp.dataSource.manager, {
        jti,
        userId: actor.userId,
        membershipId: actor.membershipId,
        startedAt: new Date(),
        expiresAt: new Date(Date.now() + 3600_000),
      });
      return jti;
    }
    const load = (actor: Actor, jti: string) =>
      organisations().loadActor(actor.userId, actor.membershipId, notSignedOut(jti));

    it('deactivation stops every session at once, and reactivation revives none of them', async () => {
      const person = await factory.actor(school, 'dsp');
      const [one, two] = [await sessionOf(person), await sessionOf(person)];
      expect(await load(person, one)).not.toBeNull();
      await accounts.deactivate(admin, person.userId);
      expect(await load(person, one)).toBeNull();
      expect(await load(person, two)).toBeNull();
      await accounts.reactivate(admin, person.userId);
      expect(await load(person, one)).toBeNull();
      expect(await load(person, two)).toBeNull();
      // A new sign-in works again.
      expect(await load(person, await sessionOf(person))).not.toBeNull();
    });

    it('ending a membership stops the sessions signed in with it, not those of the person’s other role', async () => {
      const person = await factory.actor(school, 'staff');
      const { membership } = await accounts.addMembership(admin, person.userId, {
        organisationId: otherSchool.id,
        role: 'dsp',
      });
      const elsewhere: Actor = { ...person, membershipId: membership.id, organisationId: otherSchool.id, role: 'dsp' };
      const [here, there] = [await sessionOf(person), await sessionOf(elsewhere)];
      await accounts.endMembership(admin, person.membershipId);
      expect(await load(person, here)).toBeNull();
      expect(await load(elsewhere, there)).not.toBeNull();
    });

    it('deactivating an organisation stops its members’ sessions; reactivating it revives none of them', async () => {
      const closing = await factory.school(la, { name: 'Closing School' });
      const person = await factory.actor(closing, 'head_teacher');
      const session = await sessionOf(person);
      await organisationsAdmin.update(admin, closing.id, { active: false });
      expect(await load(person, session)).toBeNull();
      expect(
        await outcomeOf(() =>
          accounts.invite(admin, { email: 'x@closing.example', name: 'X', organisationId: closing.id, role: 'staff' }),
        ),
      ).toBe('422 organisationId');
      await organisationsAdmin.update(admin, closing.id, { active: true });
      expect(await load(person, session)).toBeNull();
      expect(await load(person, await sessionOf(person))).not.toBeNull();
    });

    it('never ends or deactivates the LA’s last active administrator; a head keeps their own last head role', async () => {
      const lonelyLa = await factory.localAuthority({ name: 'Lonely LA' });
      const onlyAdmin = await factory.actor(lonelyLa, 'admin');
      const lonelySchool = await factory.school(lonelyLa);
      const head = await factory.actor(lonelySchool, 'head_teacher');
      expect(await outcomeOf(() => accounts.endMembership(onlyAdmin, onlyAdmin.membershipId))).toBe('422 role');
      expect(await outcomeOf(() => accounts.deactivate(onlyAdmin, onlyAdmin.userId))).toBe('422 active');
      expect(await outcomeOf(() => accounts.endMembership(head, head.membershipId))).toBe('422 role');
      // With a second administrator, the first may go.
      const second = await factory.actor(lonelyLa, 'admin');
      expect(await outcomeOf(() => accounts.endMembership(second, onlyAdmin.membershipId))).toBe('ok');
      // An admin may end a head's role (the admin still manages the school's accounts).
      expect(await outcomeOf(() => accounts.endMembership(second, head.membershipId))).toBe('ok');
    });
  });
});
