import { Injectable, Logger } from '@nestjs/common';
import { Brackets, EntityManager, In, IsNull } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { newOneTimeToken } from '../auth/one-time-token';
import { SessionRegistry } from '../auth/session-registry';
import { TwoFactorService } from '../auth/two-factor/two-factor.service';
import { PasswordsService } from '../auth/passwords.service';
import { Actor } from '../common/actor';
import { ForbiddenError, NotFoundError } from '../common/domain-error';
import { newId } from '../common/ids';
import { PAGE_SIZE } from '../common/paging';
import { Language, Role } from '../common/roles';
import { UnitOfWork } from '../database/unit-of-work';
import { Mailer } from '../mail/mailer';
import { Invitation } from '../organisations/invitation.entity';
import { Membership } from '../organisations/membership.entity';
import { Organisation } from '../organisations/organisation.entity';
import { hasPassword, UNUSABLE_PASSWORD_HASH, User } from '../organisations/user.entity';
import { AccountError, AccountRuleError } from './account-errors';
import { AccountEmail, toEmailMessage } from './account-emails';
import { manages, managedMembershipsSql, managesAccounts, rolesFor } from './account-management';
import { AccountView, MembershipView, toAccountView, toMembershipView } from './account.mapper';
import { Paged } from './organisations-admin.service';
import { isUniqueViolation } from '../database/unique-violation';

/** An invitation link works this long (API.md: 72 hours). */
export const INVITATION_TTL_MS = 72 * 3600 * 1000;

/** Who an invitation or a new role is from: a signed-in manager, or the command line (the first administrator). */
type Inviter = Actor | { userId: null; name: string };

/** What a change that emails someone answers: the account, and whether its email went (SMTP can fail). */
export interface AccountChange {
  account: AccountView;
  emailSent: boolean;
}

interface PendingEmail {
  email: AccountEmail;
}

/**
 * Accounts and memberships: who manages whom (account-management.ts), invitations, ending a role,
 * deactivating and reactivating an account. Accounts are never deleted and a membership ends rather
 * than disappears, so names and roles stay true on the records people made. Every change is audited in
 * its own transaction; emails go after it commits, and a failed email is reported, not thrown (the
 * account exists; the page offers to send the invitation again).
 */
@Injectable()
export class AccountsService {
  private readonly logger = new Logger('Accounts');

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
    private readonly mailer: Mailer,
    private readonly sessions: SessionRegistry,
    private readonly twoFactor: TwoFactorService,
    private readonly passwords: PasswordsService,
  ) {}

  /** The accounts the caller manages, by name, filtered by organisation and by part of a name or email. */
  async list(
    actor: Actor,
    query: { organisationId?: string; q?: string; page?: number; pageSize?: number } = {},
  ): Promise<Paged<AccountView>> {
    const managed = this.managedSql(actor);
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? PAGE_SIZE.default;
    const manager = this.unitOfWork.manager;
    const qb = manager
      .getRepository(User)
      .createQueryBuilder('u')
      .where(
        `EXISTS (SELECT 1 FROM memberships m INNER JOIN organisations o ON o.id = m.organisation_id WHERE m.user_id = u.id AND ${managed.sql}${query.organisationId ? ' AND m.organisation_id = :filterOrg' : ''})`,
        { ...managed.params, filterOrg: query.organisationId },
      );
    if (query.q !== undefined && query.q.trim() !== '') {
      const pattern = `%${query.q
        .trim()
        .toLowerCase()
        .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      qb.andWhere(
        new Brackets((w) =>
          w
            .where("LOWER(u.name) LIKE :pattern ESCAPE '\\'", { pattern })
            .orWhere("u.email LIKE :pattern ESCAPE '\\'", { pattern }),
        ),
      );
    }
    const [users, total] = await qb
      .orderBy('u.name', 'ASC')
      .addOrderBy('u.id', 'ASC')
      .skip((page - 1) * pageSize)
      .take(pageSize)
      .getManyAndCount();
    const memberships = await this.managedMembershipsOf(
      manager,
      actor,
      users.map((u) => u.id),
    );
    const withTwoFactor = await this.twoFactor.enabledAmong(users.map((u) => u.id));
    return {
      items: users.map((user) => toAccountView(user, memberships.get(user.id) ?? [], withTwoFactor.has(user.id))),
      page,
      pageSize,
      total,
    };
  }

  /** One account the caller manages (404 otherwise, as if it did not exist). */
  async get(actor: Actor, userId: string): Promise<AccountView> {
    const { user, memberships } = await this.findManaged(this.unitOfWork.manager, actor, userId);
    return toAccountView(user, memberships, await this.twoFactor.isEnabled(user.id));
  }

  /** How many accounts the caller manages, active and in all (the dashboards). */
  async counts(actor: Actor): Promise<{ accounts: number; active: number; awaitingInvitation: number }> {
    const managed = this.managedSql(actor);
    const rows = await this.unitOfWork.manager
      .getRepository(User)
      .createQueryBuilder('u')
      .select('u.active', 'active')
      .addSelect(`CASE WHEN u.password_hash = :unusable THEN 1 ELSE 0 END`, 'invited')
      .addSelect('COUNT(*)', 'n')
      .where(
        `EXISTS (SELECT 1 FROM memberships m INNER JOIN organisations o ON o.id = m.organisation_id WHERE m.user_id = u.id AND ${managed.sql})`,
        managed.params,
      )
      .setParameter('unusable', UNUSABLE_PASSWORD_HASH)
      .groupBy('u.active')
      .addGroupBy(`CASE WHEN u.password_hash = :unusable THEN 1 ELSE 0 END`)
      .getRawMany<{ active: boolean | number; invited: number | string; n: number | string }>();
    const sum = (keep: (row: (typeof rows)[number]) => boolean) =>
      rows.filter(keep).reduce((total, row) => total + Number(row.n), 0);
    return {
      accounts: sum(() => true),
      // Active: can sign in now (an invited account cannot until it sets a password; it is counted apart).
      active: sum((row) => Boolean(row.active) && Number(row.invited) !== 1),
      awaitingInvitation: sum((row) => Number(row.invited) === 1),
    };
  }

  /**
   * Invites a person to a role. An email that already has an account gets the new membership on that
   * account, never a second account; it is emailed about the new role, or invited again if it never
   * set a password.
   */
  async invite(
    actor: Actor,
    input: { email: string; name: string; organisationId: string; role: Role; language?: Language },
  ): Promise<AccountChange> {
    this.assertManagesAccounts(actor);
    const email = input.email.trim().toLowerCase();
    const { userId, emails } = await this.unitOfWork
      .run(async (manager) => {
        const { organisation, authority } = await this.placeFor(manager, actor, input.organisationId, input.role);
        const existing = await manager.getRepository(User).findOneBy({ email });
        if (existing) {
          if (!existing.active) throw new AccountRuleError(AccountError.AccountDeactivated);
          const pending = await this.addMembershipTo(manager, actor, existing, organisation, authority, input.role);
          return { userId: existing.id, emails: [pending] };
        }
        const user: User = {
          id: newId(),
          email,
          name: input.name,
          passwordHash: UNUSABLE_PASSWORD_HASH,
          language: input.language ?? 'en',
          active: true,
          emailNotifications: true,
          createdAt: new Date(),
        };
        await manager.getRepository(User).insert(user);
        const membership = await this.insertMembership(manager, user.id, organisation.id, input.role);
        const token = await this.newInvitation(manager, user.id, membership.id, actor.userId);
        await this.audit.record(manager, actor, 'user.invited', subjectOf(user.id), {
          membershipId: membership.id,
          organisationId: organisation.id,
          role: input.role,
        });
        const pending: PendingEmail = {
          email: invitationEmail(user, token, actor, input.role, organisation, authority),
        };
        return { userId: user.id, emails: [pending] };
      })
      .catch((error: unknown) => {
        // The same email invited twice at once: the second finds the account on a retry.
        if (isUniqueViolation(error)) return null;
        throw error;
      })
      .then((done) => done ?? this.retryInvite(actor, input));
    const emailSent = await this.sendAll(emails);
    return { account: await this.get(actor, userId), emailSent };
  }

  /** Adds a role to an account the caller manages (404 otherwise), at an organisation and role they manage (403). */
  async addMembership(
    actor: Actor,
    userId: string,
    input: { organisationId: string; role: Role },
  ): Promise<{ membership: MembershipView; emailSent: boolean }> {
    this.assertManagesAccounts(actor);
    const { membershipId, email } = await this.unitOfWork.run(async (manager) => {
      const { user } = await this.findManaged(manager, actor, userId);
      if (!user.active) throw new AccountRuleError(AccountError.AccountDeactivated);
      const { organisation, authority } = await this.placeFor(manager, actor, input.organisationId, input.role);
      const pending = await this.addMembershipTo(manager, actor, user, organisation, authority, input.role);
      return { membershipId: pending.membershipId, email: pending };
    });
    const emailSent = await this.sendAll([email]);
    const membership = await this.unitOfWork.manager.getRepository(Membership).findOneByOrFail({ id: membershipId });
    return { membership: toMembershipView(membership), emailSent };
  }

  /**
   * Ends a role: the row stays (records keep the role they were made with) and sessions signed in with
   * it stop at once. The LA's last active administrator is never ended, nor a manager's own last way to
   * manage their organisation's accounts.
   */
  async endMembership(actor: Actor, membershipId: string): Promise<void> {
    this.assertManagesAccounts(actor);
    await this.unitOfWork.run(async (manager) => {
      const membership = await manager.getRepository(Membership).findOneBy({ id: membershipId, endedAt: IsNull() });
      if (!membership) throw new NotFoundError('Membership');
      const organisation = await manager.getRepository(Organisation).findOneByOrFail({ id: membership.organisationId });
      if (!manages(actor, placeOf(organisation, membership.role))) throw new NotFoundError('Membership');
      if (membership.role === 'admin' && (await this.isLastActiveAdmin(manager, membership)))
        throw new AccountRuleError(AccountError.LastAdmin);
      if (
        membership.userId === actor.userId &&
        (membership.role === 'head_teacher' || membership.role === 'la_lead') &&
        (await this.othersHolding(manager, membership)) === 0
      )
        throw new AccountRuleError(AccountError.OwnLastManagingMembership);
      await manager.getRepository(Membership).update({ id: membership.id }, { endedAt: new Date() });
      await this.sessions.endAllForMembership(manager, membership.id, 'membership_ended');
      await this.audit.record(manager, actor, 'membership.ended', subjectOf(membership.userId), {
        membershipId: membership.id,
        organisationId: membership.organisationId,
        role: membership.role,
      });
    });
  }

  /** Stops every session of the account at once; signing in then answers 401 as for a wrong password. */
  async deactivate(actor: Actor, userId: string): Promise<void> {
    this.assertManagesAccounts(actor);
    await this.unitOfWork.run(async (manager) => {
      const { user, current } = await this.findManagedForActivation(manager, actor, userId);
      if (user.id === actor.userId) throw new AccountRuleError(AccountError.OwnAccount);
      if (!user.active) return;
      for (const membership of current.filter((m) => m.role === 'admin'))
        if (await this.isLastActiveAdmin(manager, membership)) throw new AccountRuleError(AccountError.LastAdmin);
      await manager.getRepository(User).update({ id: user.id }, { active: false });
      await this.sessions.endAllFor(manager, user.id, { reason: 'account_deactivated' });
      await this.passwords.useUpResetLinks(manager, user.id);
      await this.audit.record(manager, actor, 'user.deactivated', subjectOf(user.id));
    });
  }

  /** The account can sign in again; sessions it had before stay ended. */
  async reactivate(actor: Actor, userId: string): Promise<void> {
    this.assertManagesAccounts(actor);
    await this.unitOfWork.run(async (manager) => {
      const { user } = await this.findManagedForActivation(manager, actor, userId);
      if (user.active) return;
      await manager.getRepository(User).update({ id: user.id }, { active: true });
      await this.audit.record(manager, actor, 'user.reactivated', subjectOf(user.id));
    });
  }

  /** A new invitation link for an account that has not set its password yet (the earlier links stop working). */
  async resendInvitation(actor: Actor, userId: string): Promise<AccountChange> {
    this.assertManagesAccounts(actor);
    const pending = await this.unitOfWork.run(async (manager) => {
      const { user, memberships } = await this.findManaged(manager, actor, userId);
      if (hasPassword(user)) throw new AccountRuleError(AccountError.AlreadyAccepted);
      if (!user.active) throw new AccountRuleError(AccountError.AccountDeactivated);
      const membership = memberships.find((m) => m.endedAt === null);
      if (!membership) throw new NotFoundError('Membership');
      const organisation = await manager.getRepository(Organisation).findOneByOrFail({ id: membership.organisationId });
      const authority = await this.authorityOf(manager, organisation);
      const token = await this.newInvitation(manager, user.id, membership.id, actor.userId);
      await this.audit.record(manager, actor, 'user.invitation_resent', subjectOf(user.id), {
        membershipId: membership.id,
      });
      return { email: invitationEmail(user, token, actor, membership.role, organisation, authority) };
    });
    const emailSent = await this.sendAll([pending]);
    return { account: await this.get(actor, userId), emailSent };
  }

  /**
   * The first administrator (`npm run admin:create`): the local authority when none has that name, and
   * an admin account in it with a one-time link to set the password (returned, not emailed). Null when
   * the email already has an account.
   */
  async createFirstAdmin(input: {
    email: string;
    name: string;
    authority: string;
    authorityCode?: string;
  }): Promise<{ token: string; userId: string; localAuthorityId: string; createdAuthority: boolean } | null> {
    const email = input.email.trim().toLowerCase();
    return this.unitOfWork.run(async (manager) => {
      if (await manager.getRepository(User).existsBy({ email })) return null;
      let authority = await manager
        .getRepository(Organisation)
        .findOneBy({ kind: 'local_authority', name: input.authority });
      const now = new Date();
      const createdAuthority = !authority;
      if (!authority) {
        if (input.authorityCode && (await manager.getRepository(Organisation).existsBy({ code: input.authorityCode })))
          throw new AccountRuleError(AccountError.CodeTaken, input.authorityCode);
        authority = {
          id: newId(),
          kind: 'local_authority',
          name: input.authority,
          nameCy: null,
          code: input.authorityCode ?? null,
          active: true,
          localAuthorityId: null,
          createdAt: now,
        };
        await manager.getRepository(Organisation).insert(authority);
      }
      const user: User = {
        id: newId(),
        email,
        name: input.name,
        passwordHash: UNUSABLE_PASSWORD_HASH,
        language: 'en',
        active: true,
        emailNotifications: true,
        createdAt: now,
      };
      await manager.getRepository(User).insert(user);
      const membership = await this.insertMembership(manager, user.id, authority.id, 'admin');
      const token = await this.newInvitation(manager, user.id, membership.id, null);
      const commandLine = {
        userId: null,
        name: 'admin:create (command line)',
        role: null,
        organisationId: authority.id,
      };
      if (createdAuthority)
        await this.audit.recordAs(manager, commandLine, 'organisation.created', subjectOfOrganisation(authority.id), {
          kind: 'local_authority',
          name: authority.name,
          code: authority.code,
        });
      await this.audit.recordAs(manager, commandLine, 'user.invited', subjectOf(user.id), {
        membershipId: membership.id,
        organisationId: authority.id,
        role: 'admin',
      });
      return { token, userId: user.id, localAuthorityId: authority.id, createdAuthority };
    });
  }

  // ---------------------------------------------------------------------------------------------

  private assertManagesAccounts(actor: Actor): void {
    if (!managesAccounts(actor)) throw new ForbiddenError('Your role does not manage accounts');
  }

  private managedSql(actor: Actor) {
    const managed = managedMembershipsSql(actor);
    if (!managed) throw new ForbiddenError('Your role does not manage accounts');
    return managed;
  }

  private retryInvite(
    actor: Actor,
    input: { email: string; name: string; organisationId: string; role: Role; language?: Language },
  ): Promise<{ userId: string; emails: PendingEmail[] }> {
    return this.unitOfWork.run(async (manager) => {
      const { organisation, authority } = await this.placeFor(manager, actor, input.organisationId, input.role);
      const existing = await manager.getRepository(User).findOneByOrFail({ email: input.email.trim().toLowerCase() });
      if (!existing.active) throw new AccountRuleError(AccountError.AccountDeactivated);
      const pending = await this.addMembershipTo(manager, actor, existing, organisation, authority, input.role);
      return { userId: existing.id, emails: [pending] };
    });
  }

  /**
   * The organisation a new membership is at, checked: in the caller's local authority (422
   * `organisationId` otherwise), active, a role its kind has (422 `role`), and one the caller manages (403).
   */
  private async placeFor(
    manager: EntityManager,
    actor: Actor,
    organisationId: string,
    role: Role,
  ): Promise<{ organisation: Organisation; authority: Organisation }> {
    const organisation = await manager.getRepository(Organisation).findOneBy({ id: organisationId });
    if (
      !organisation ||
      (organisation.id !== actor.localAuthorityId && organisation.localAuthorityId !== actor.localAuthorityId)
    )
      throw new AccountRuleError(AccountError.UnknownOrganisation);
    if (!manages(actor, placeOf(organisation, role))) {
      // A role the caller does not manage: 403; a role that organisation cannot have: 422 (say which).
      if (!rolesFor(organisation.kind).includes(role)) throw new AccountRuleError(AccountError.RoleNotAtKind);
      throw new ForbiddenError('Your role does not manage this role at this organisation');
    }
    if (!rolesFor(organisation.kind).includes(role)) throw new AccountRuleError(AccountError.RoleNotAtKind);
    if (!organisation.active) throw new AccountRuleError(AccountError.OrganisationInactive);
    return { organisation, authority: await this.authorityOf(manager, organisation) };
  }

  private async addMembershipTo(
    manager: EntityManager,
    actor: Actor,
    user: User,
    organisation: Organisation,
    authority: Organisation,
    role: Role,
  ): Promise<PendingEmail & { membershipId: string }> {
    const already = await manager
      .getRepository(Membership)
      .existsBy({ userId: user.id, organisationId: organisation.id, role, endedAt: IsNull() });
    if (already) throw new AccountRuleError(AccountError.MembershipExists);
    const membership = await this.insertMembership(manager, user.id, organisation.id, role);
    await this.audit.record(manager, actor, 'membership.added', subjectOf(user.id), {
      membershipId: membership.id,
      organisationId: organisation.id,
      role,
    });
    if (hasPassword(user))
      return {
        membershipId: membership.id,
        email: {
          kind: 'role_added',
          to: user.email,
          language: user.language,
          path: '/',
          inviter: actor.name,
          role,
          organisation,
          authority,
        },
      };
    // Never set a password: a new invitation, for the new role.
    const token = await this.newInvitation(manager, user.id, membership.id, actor.userId);
    return { membershipId: membership.id, email: invitationEmail(user, token, actor, role, organisation, authority) };
  }

  private async insertMembership(
    manager: EntityManager,
    userId: string,
    organisationId: string,
    role: Role,
  ): Promise<Membership> {
    const membership: Membership = { id: newId(), userId, organisationId, role, createdAt: new Date(), endedAt: null };
    await manager.getRepository(Membership).insert(membership);
    return membership;
  }

  /** A fresh link (72 hours, once); the account's earlier unused links stop working. Returns the token. */
  private async newInvitation(
    manager: EntityManager,
    userId: string,
    membershipId: string,
    invitedByUserId: string | null,
  ): Promise<string> {
    const now = new Date();
    await manager.getRepository(Invitation).update({ userId, usedAt: IsNull() }, { usedAt: now });
    const { token, hash } = newOneTimeToken();
    await manager.getRepository(Invitation).insert({
      id: newId(),
      tokenHash: hash,
      userId,
      membershipId,
      invitedByUserId,
      createdAt: now,
      expiresAt: new Date(now.getTime() + INVITATION_TTL_MS),
      usedAt: null,
    });
    return token;
  }

  private async authorityOf(manager: EntityManager, organisation: Organisation): Promise<Organisation> {
    if (!organisation.localAuthorityId) return organisation;
    return manager.getRepository(Organisation).findOneByOrFail({ id: organisation.localAuthorityId });
  }

  /** An account with at least one membership (current or ended) the caller manages; 404 otherwise. */
  private async findManaged(
    manager: EntityManager,
    actor: Actor,
    userId: string,
  ): Promise<{ user: User; memberships: Membership[]; all: Membership[] }> {
    this.assertManagesAccounts(actor);
    const user = await manager.getRepository(User).findOneBy({ id: userId });
    if (!user) throw new NotFoundError('Account');
    const all = await manager.getRepository(Membership).find({ where: { userId }, order: { createdAt: 'ASC' } });
    const places = await this.placesOf(manager, all);
    const memberships = all.filter((m) => manages(actor, places.get(m.id)!));
    if (memberships.length === 0) throw new NotFoundError('Account');
    return { user, memberships, all };
  }

  /** A managed account whose every current role the caller manages (else 422: end the role here instead). */
  private async findManagedForActivation(manager: EntityManager, actor: Actor, userId: string) {
    const found = await this.findManaged(manager, actor, userId);
    const current = found.all.filter((m) => m.endedAt === null);
    const managedIds = new Set(found.memberships.map((m) => m.id));
    if (current.some((m) => !managedIds.has(m.id))) throw new AccountRuleError(AccountError.WorksElsewhere);
    return { user: found.user, current };
  }

  private async placesOf(manager: EntityManager, memberships: Membership[]) {
    const organisationIds = [...new Set(memberships.map((m) => m.organisationId))];
    const organisations = organisationIds.length
      ? await manager.getRepository(Organisation).findBy({ id: In(organisationIds) })
      : [];
    const byId = new Map(organisations.map((o) => [o.id, o]));
    return new Map(memberships.map((m) => [m.id, placeOf(byId.get(m.organisationId)!, m.role)]));
  }

  private async managedMembershipsOf(
    manager: EntityManager,
    actor: Actor,
    userIds: string[],
  ): Promise<Map<string, Membership[]>> {
    const result = new Map<string, Membership[]>();
    if (userIds.length === 0) return result;
    const all = await manager
      .getRepository(Membership)
      .find({ where: { userId: In(userIds) }, order: { createdAt: 'ASC', id: 'ASC' } });
    const places = await this.placesOf(manager, all);
    for (const membership of all) {
      if (!manages(actor, places.get(membership.id)!)) continue;
      result.set(membership.userId, [...(result.get(membership.userId) ?? []), membership]);
    }
    return result;
  }

  /** Whether no other active account holds a current admin membership in this membership's local authority. */
  private async isLastActiveAdmin(manager: EntityManager, membership: Membership): Promise<boolean> {
    const others = await manager
      .getRepository(Membership)
      .createQueryBuilder('m')
      .innerJoin(User, 'u', 'u.id = m.user_id')
      .where('m.organisation_id = :organisationId', { organisationId: membership.organisationId })
      .andWhere("m.role = 'admin'")
      .andWhere('m.ended_at IS NULL')
      .andWhere('u.active = :active', { active: true })
      .andWhere('m.user_id <> :userId', { userId: membership.userId })
      .getCount();
    return others === 0;
  }

  /** Other active accounts with a current membership of the same role at the same organisation. */
  private othersHolding(manager: EntityManager, membership: Membership): Promise<number> {
    return manager
      .getRepository(Membership)
      .createQueryBuilder('m')
      .innerJoin(User, 'u', 'u.id = m.user_id')
      .where('m.organisation_id = :organisationId', { organisationId: membership.organisationId })
      .andWhere('m.role = :role', { role: membership.role })
      .andWhere('m.ended_at IS NULL')
      .andWhere('u.active = :active', { active: true })
      .andWhere('m.user_id <> :userId', { userId: membership.userId })
      .getCount();
  }

  /** Sends after the change committed; true when every email went. A failure is logged, never thrown. */
  private async sendAll(pending: PendingEmail[]): Promise<boolean> {
    let allSent = true;
    for (const { email } of pending) {
      try {
        await this.mailer.send(toEmailMessage(email, this.mailer.link(email.path)));
      } catch (error) {
        allSent = false;
        this.logger.warn(`The ${email.kind} email could not be sent: ${(error as Error).message}`);
      }
    }
    return allSent;
  }
}

const subjectOf = (userId: string) => ({ type: 'account', id: userId });
const subjectOfOrganisation = (id: string) => ({ type: 'organisation', id });

function placeOf(organisation: Organisation, role: Role) {
  return { organisationId: organisation.id, localAuthorityId: organisation.localAuthorityId ?? organisation.id, role };
}

function invitationEmail(
  user: User,
  token: string,
  inviter: Inviter,
  role: Role,
  organisation: Organisation,
  authority: Organisation,
): AccountEmail {
  return {
    kind: 'invitation',
    to: user.email,
    language: user.language,
    path: `/invite/${token}`,
    inviter: inviter.name,
    role,
    organisation,
    authority,
  };
}
