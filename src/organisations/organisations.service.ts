import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, In, IsNull, ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import { Actor } from '../common/actor';
import { hydrateJsonRow, JsonRowBranch, jsonRowOf, RowsOfTag, tableOf } from '../database/json-rows';
import { Language, OrganisationKind, Role } from '../common/roles';
import { Membership } from './membership.entity';
import { OrganisationNames } from './organisation-name';
import { Organisation } from './organisation.entity';
import { User } from './user.entity';

/**
 * A condition another module adds to the query that loads an actor (auth: the session has not been
 * signed out), and any columns it wants read with it (loadActorWith, prepareActorQuery), so that loading stays one query
 * without this module knowing the other's tables.
 */
export type ActorCondition = (query: SelectQueryBuilder<ObjectLiteral>) => void;

/** An organisation as other modules show it: its id and both its names. */
export interface OrganisationRef extends OrganisationNames {
  id: string;
}

interface ActorRow {
  userId: string;
  email: string;
  name: string;
  language: Language;
  membershipId: string;
  role: Actor['role'];
  organisationId: string;
  organisationName: string;
  organisationNameCy: string | null;
  organisationKind: Actor['organisationKind'];
  localAuthorityId: string | null;
}

@Injectable()
export class OrganisationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(Organisation) private readonly organisations: Repository<Organisation>,
  ) {}

  findUserByEmail(normalisedEmail: string): Promise<User | null> {
    return this.users.findOne({ where: { email: normalisedEmail } });
  }

  /** How many organisations there are (none: a new database, which `npm run admin:create` starts). */
  countOrganisations(): Promise<number> {
    return this.organisations.count();
  }

  findOrganisation(id: string): Promise<Organisation | null> {
    return this.organisations.findOne({ where: { id } });
  }

  /**
   * Schools and PRUs, by name: the one given, or every one a local authority holds (one query, inside
   * the caller's transaction); `activeOnly`: not those deactivated.
   */
  async settingsInScope(
    manager: EntityManager,
    scope: { organisationId: string } | { localAuthorityId: string },
    options: { activeOnly?: boolean } = {},
  ): Promise<Array<{ id: string; name: string; nameCy: string | null; kind: OrganisationKind }>> {
    const qb = manager
      .createQueryBuilder()
      .select('organisation.id', 'id')
      .addSelect('organisation.name', 'name')
      .addSelect('organisation.name_cy', 'nameCy')
      .addSelect('organisation.kind', 'kind')
      .from('organisations', 'organisation')
      .where('organisation.kind IN (:...settingKinds)', { settingKinds: ['school', 'pru'] });
    if ('organisationId' in scope)
      qb.andWhere('organisation.id = :organisationId', { organisationId: scope.organisationId });
    else
      qb.andWhere('organisation.local_authority_id = :localAuthorityId', { localAuthorityId: scope.localAuthorityId });
    if (options.activeOnly) qb.andWhere('organisation.active = :active', { active: true });
    const rows: Array<{ id: string; name: string; nameCy: string | null; kind: OrganisationKind }> =
      await qb.getRawMany();
    // Sorted here, not in SQL: the engines collate names differently.
    return rows.sort((a, b) => a.name.localeCompare(b.name, 'en-GB') || a.id.localeCompare(b.id));
  }

  /**
   * Adds an organisation to another module's query, in the same query: the one whose id is the column
   * expression `idColumn`, aliased `alias`, mapped onto the row's property `mapTo` (`row.property`).
   */
  joinOrganisation<T extends ObjectLiteral>(
    qb: SelectQueryBuilder<T>,
    mapTo: string,
    alias: string,
    idColumn: string,
  ): SelectQueryBuilder<T> {
    return qb.innerJoinAndMapOne(mapTo, Organisation, alias, `${alias}.id = ${idColumn}`);
  }

  /**
   * Organisations' names (English, and Welsh when there is one) by id, in one query inside the caller's
   * transaction (none for no ids). The edge picks the reader's with `organisationName`.
   */
  async namesByIds(manager: EntityManager, ids: string[]): Promise<Map<string, OrganisationRef>> {
    if (ids.length === 0) return new Map();
    const rows = await manager
      .getRepository(Organisation)
      .find({ select: { id: true, name: true, nameCy: true }, where: { id: In(ids) } });
    return new Map(rows.map((o) => [o.id, { id: o.id, name: o.name, nameCy: o.nameCy ?? null }]));
  }

  /**
   * The people who hold one of `roles` now in any of these organisations (user ids, each once), in one
   * query inside the caller's transaction (on `idx_memberships_organisation_role`): an active account, a
   * membership not ended, an active organisation. Whom a notification goes to (dsp's concern notice:
   * the DSPs of every organisation where the pupil is enrolled).
   */
  async activeMemberIds(manager: EntityManager, organisationIds: string[], roles: Role[]): Promise<string[]> {
    if (organisationIds.length === 0 || roles.length === 0) return [];
    const rows = await manager
      .createQueryBuilder()
      .select('DISTINCT membership.user_id', 'userId')
      .from(Membership, 'membership')
      .innerJoin(User, 'user', 'user.id = membership.user_id AND user.active = :memberActive')
      .innerJoin(
        Organisation,
        'organisation',
        'organisation.id = membership.organisation_id AND organisation.active = :memberActive',
      )
      .where('membership.organisation_id IN (:...organisationIds)', { organisationIds })
      .andWhere('membership.role IN (:...roles)', { roles })
      .andWhere('membership.ended_at IS NULL')
      .setParameter('memberActive', true)
      .getRawMany<{ userId: string }>();
    return rows.map((row) => row.userId);
  }

  /**
   * `activeMemberIds` and `namesByIds` of one organisation as `UNION ALL` branches (database/json-rows.ts),
   * for a caller that reads them with its own rows in one statement: the people holding one of `roles`
   * now in that organisation or in any organisation `alsoIn` selects (a subquery of organisation ids, its
   * parameters the caller's), and that organisation's names. Whom a new concern is told to (dsp).
   */
  membersAndNamesBranches(
    manager: EntityManager,
    roles: Role[],
    alsoIn: string,
  ): { branches: JsonRowBranch[]; parameters: (organisationId: string) => Record<string, unknown> } {
    // Each role a parameter of its own: a role is a code, but nothing of the caller's goes into the SQL.
    const roleNames = roles.map((_, index) => `:membersRole${index}`);
    return {
      branches: [
        {
          tag: 'organisations.member',
          row: jsonRowOf(manager, Membership, 'membership', ['userId']),
          from: `FROM ${tableOf(manager, Organisation)} organisation
            INNER JOIN ${tableOf(manager, Membership)} membership ON membership.organisation_id = organisation.id
            INNER JOIN ${tableOf(manager, User)} account ON account.id = membership.user_id AND account.active = :membersActive
            WHERE organisation.active = :membersActive
            AND (organisation.id = :membersOrganisationId OR organisation.id IN (${alsoIn}))
            AND membership.role IN (${roleNames.length ? roleNames.join(', ') : 'NULL'})
            AND membership.ended_at IS NULL`,
        },
        {
          tag: 'organisations.names',
          row: jsonRowOf(manager, Organisation, 'named', ['id', 'name', 'nameCy']),
          from: `FROM ${tableOf(manager, Organisation)} named WHERE named.id = :membersOrganisationId`,
        },
      ],
      parameters: (organisationId) => ({
        membersOrganisationId: organisationId,
        membersActive: true,
        ...Object.fromEntries(roles.map((role, index) => [`membersRole${index}`, role])),
      }),
    };
  }

  /** The members (user ids, each once) and the organisation's names of `membersAndNamesBranches`' rows. */
  membersAndNamesFrom(
    manager: EntityManager,
    rowsOf: RowsOfTag,
  ): { memberIds: string[]; names: OrganisationRef | null } {
    const memberIds = [
      ...new Set(rowsOf('organisations.member').map((row) => hydrateJsonRow(manager, Membership, row).userId)),
    ];
    const named = rowsOf('organisations.names').map((row) => hydrateJsonRow(manager, Organisation, row))[0];
    return { memberIds, names: named ? { id: named.id, name: named.name, nameCy: named.nameCy ?? null } : null };
  }

  /**
   * The active members (active account, current membership, active organisation) of one organisation
   * with these roles: id, name and role, ordered by name (one row per person and role). Who an action
   * may be given to, and the page's choices of them.
   */
  async activeMembers(
    manager: EntityManager,
    organisationId: string,
    roles: readonly Role[],
  ): Promise<Array<{ userId: string; name: string; role: Role }>> {
    if (roles.length === 0) return [];
    return manager
      .createQueryBuilder()
      .select('membership.user_id', 'userId')
      .distinct(true)
      .addSelect('user.name', 'name')
      .addSelect('membership.role', 'role')
      .from(Membership, 'membership')
      .innerJoin(User, 'user', 'user.id = membership.user_id AND user.active = :memberActive')
      .innerJoin(
        Organisation,
        'organisation',
        'organisation.id = membership.organisation_id AND organisation.active = :memberActive',
      )
      .where('membership.organisation_id = :organisationId', { organisationId })
      .andWhere('membership.role IN (:...roles)', { roles: [...roles] })
      .andWhere('membership.ended_at IS NULL')
      .setParameter('memberActive', true)
      .orderBy('user.name', 'ASC')
      .addOrderBy('membership.user_id', 'ASC')
      .getRawMany<{ userId: string; name: string; role: Role }>();
  }

  /**
   * Everyone who is or was a member of any of these organisations (id and name), in one indexed query:
   * the audit page's "who" choices, without reading the log itself.
   */
  async peopleOf(organisationIds: string[]): Promise<Array<{ id: string; name: string }>> {
    if (organisationIds.length === 0) return [];
    return this.dataSource
      .getRepository(User)
      .createQueryBuilder('user')
      .select('user.id', 'id')
      .addSelect('user.name', 'name')
      .where(
        'user.id IN (SELECT membership.user_id FROM memberships membership WHERE membership.organisation_id IN (:...organisationIds))',
        { organisationIds },
      )
      .getRawMany<{ id: string; name: string }>();
  }

  /**
   * The actor a session names, or null when the user or that membership no longer exists, the account
   * or the organisation is deactivated, the membership has ended, or the caller's condition (`onlyIf`)
   * does not hold. One query, whatever the answer.
   */
  async loadActor(userId: string, membershipId: string, onlyIf?: ActorCondition): Promise<Actor | null> {
    return (await this.loadActorWith(userId, membershipId, onlyIf))?.actor ?? null;
  }

  /**
   * As loadActor, and also the row's other columns: those the caller's condition added to the same
   * query (auth: the account's preferences and two-factor state, read with the session check), so a
   * request learns everything it needs about its caller in one statement.
   */
  async loadActorWith(
    userId: string,
    membershipId: string,
    onlyIf?: ActorCondition,
  ): Promise<{ actor: Actor; row: Record<string, unknown> } | null> {
    const query = this.actorQuery().where('membership.id = :membershipId AND user.id = :userId', {
      membershipId,
      userId,
    });
    onlyIf?.(query);
    const row = await query.getRawOne<ActorRow & Record<string, unknown>>();
    return row ? { actor: toActor(row), row } : null;
  }

  /**
   * loadActorWith for a condition whose values are parameters given at each call (`values`), its SQL
   * built once: TypeORM's query building was about a seventh of a signed-in API call's CPU, and this
   * query runs for every request (jwt.strategy.ts). The same statement, the same answer.
   */
  prepareActorQuery(
    condition: ActorCondition,
  ): (
    userId: string,
    membershipId: string,
    values: Record<string, unknown>,
  ) => Promise<{ actor: Actor; row: Record<string, unknown> } | null> {
    let prepared: { sql: string; fixed: Record<string, unknown> } | undefined;
    return async (userId, membershipId, values) => {
      if (!prepared) {
        const query = this.actorQuery().where('membership.id = :membershipId AND user.id = :userId');
        condition(query);
        prepared = { sql: query.getQuery(), fixed: { ...query.getParameters() } };
      }
      const [sql, parameters] = this.dataSource.driver.escapeQueryWithParameters(
        prepared.sql,
        { ...prepared.fixed, ...values, userId, membershipId },
        {},
      );
      const rows = await this.dataSource.query<Array<ActorRow & Record<string, unknown>>>(sql, parameters);
      const row = rows[0];
      return row ? { actor: toActor(row), row } : null;
    };
  }

  /** Every role the person can act in now (current memberships of active organisations), oldest first. */
  async actorsOf(userId: string): Promise<Actor[]> {
    return (await this.actorsOfQuery(userId).getRawMany<ActorRow>()).map(toActor);
  }

  /** A person's first membership is the one they sign in to; they may then switch (AuthService.switchMembership). */
  async primaryActorOf(userId: string): Promise<Actor | null> {
    const row = await this.actorsOfQuery(userId).limit(1).getRawOne<ActorRow>();
    return row ? toActor(row) : null;
  }

  /** A person's current memberships as actors, oldest first. */
  private actorsOfQuery(userId: string) {
    return this.actorQuery()
      .where('user.id = :userId', { userId })
      .orderBy('membership.created_at', 'ASC')
      .addOrderBy('membership.id', 'ASC');
  }

  /**
   * Replaces a password hash (a stronger one, at sign-in) in the caller's transaction, but only if it is
   * still `expectedHash`, so a concurrent change of password is never undone.
   */
  async replacePasswordHash(
    manager: EntityManager,
    userId: string,
    expectedHash: string,
    newHash: string,
  ): Promise<void> {
    await manager.update(User, { id: userId, passwordHash: expectedHash }, { passwordHash: newHash });
  }

  findUser(manager: EntityManager, userId: string): Promise<User | null> {
    return manager.findOne(User, { where: { id: userId } });
  }

  /** Sets a new password hash, in the caller's transaction (a change of password, a reset). */
  async setPasswordHash(manager: EntityManager, userId: string, passwordHash: string): Promise<void> {
    await manager.update(User, { id: userId }, { passwordHash });
  }

  /** The account's own choices that the actor does not carry (read per request only by `/api/me`). */
  async preferencesOf(manager: EntityManager, userId: string): Promise<{ emailNotifications: boolean }> {
    const user = await manager.findOne(User, { select: { id: true, emailNotifications: true }, where: { id: userId } });
    return { emailNotifications: user?.emailNotifications ?? true };
  }

  /**
   * Where and how to email a person about their work (notification emails): their address and language,
   * whether they want such emails (an inactive account gets none), and the local authority of one of
   * their current memberships for the email's footer. One query.
   */
  async emailRecipient(
    manager: EntityManager,
    userId: string,
  ): Promise<{ email: string; language: Language; wantsEmail: boolean; authority: OrganisationNames } | null> {
    const row = await manager
      .createQueryBuilder()
      .select('user.email', 'email')
      .addSelect('user.language', 'language')
      .addSelect('user.active', 'active')
      .addSelect('user.email_notifications', 'emailNotifications')
      .addSelect('authority.name', 'authorityName')
      .addSelect('authority.name_cy', 'authorityNameCy')
      .from(User, 'user')
      .leftJoin(Membership, 'membership', 'membership.user_id = user.id AND membership.ended_at IS NULL')
      .leftJoin(Organisation, 'organisation', 'organisation.id = membership.organisation_id')
      .leftJoin(Organisation, 'authority', 'authority.id = COALESCE(organisation.local_authority_id, organisation.id)')
      .where('user.id = :userId', { userId })
      .orderBy('membership.created_at', 'ASC')
      .limit(1)
      .getRawOne<{
        email: string;
        language: Language;
        active: boolean | number;
        emailNotifications: boolean | number;
        authorityName: string | null;
        authorityNameCy: string | null;
      }>();
    if (!row) return null;
    return {
      email: row.email,
      language: row.language,
      wantsEmail: Boolean(row.active) && Boolean(row.emailNotifications),
      authority: { name: row.authorityName ?? '', nameCy: row.authorityNameCy ?? null },
    };
  }

  /** Changes the account's language and/or email notifications, in the caller's transaction. */
  async setPreferences(
    manager: EntityManager,
    userId: string,
    preferences: { language?: Language; emailNotifications?: boolean },
  ): Promise<void> {
    const changes: Partial<Pick<User, 'language' | 'emailNotifications'>> = {};
    if (preferences.language !== undefined) changes.language = preferences.language;
    if (preferences.emailNotifications !== undefined) changes.emailNotifications = preferences.emailNotifications;
    if (Object.keys(changes).length > 0) await manager.update(User, { id: userId }, changes);
  }

  /** Every role the account holds now, in any organisation (two-factor sign-in is required by role). */
  async rolesOf(userId: string): Promise<Actor['role'][]> {
    const rows = await this.dataSource
      .getRepository(Membership)
      .find({ select: { id: true, role: true }, where: { userId, endedAt: IsNull() } });
    return [...new Set(rows.map((row) => row.role))];
  }

  async setLanguage(actor: Actor, language: Language): Promise<void> {
    await this.users.update({ id: actor.userId }, { language });
  }

  private actorQuery() {
    return (
      this.dataSource
        .createQueryBuilder()
        .select([
          'user.id AS "userId"',
          'user.email AS "email"',
          'user.name AS "name"',
          'user.language AS "language"',
          'membership.id AS "membershipId"',
          'membership.role AS "role"',
          'organisation.id AS "organisationId"',
          'organisation.name AS "organisationName"',
          'organisation.name_cy AS "organisationNameCy"',
          'organisation.kind AS "organisationKind"',
          'organisation.local_authority_id AS "localAuthorityId"',
        ])
        .from(Membership, 'membership')
        // A deactivated account, an ended membership or a deactivated organisation loads no actor: its
        // sessions stop at the next request (401) and it cannot sign in (the same 401 as a wrong password).
        // (In the join conditions, since callers set their own WHERE.)
        .innerJoin(
          User,
          'user',
          'user.id = membership.user_id AND user.active = :actorActive AND membership.ended_at IS NULL',
        )
        .innerJoin(
          Organisation,
          'organisation',
          'organisation.id = membership.organisation_id AND organisation.active = :actorActive',
        )
        .setParameter('actorActive', true)
    );
  }
}

function toActor(row: ActorRow): Actor {
  return {
    userId: row.userId,
    membershipId: row.membershipId,
    email: row.email,
    name: row.name,
    role: row.role,
    organisationId: row.organisationId,
    organisationName: row.organisationName,
    organisationNameCy: row.organisationNameCy ?? null,
    organisationKind: row.organisationKind,
    localAuthorityId: row.localAuthorityId ?? row.organisationId,
    language: row.language,
  };
}
