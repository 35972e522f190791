import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, EntityManager, ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import { Actor } from '../common/actor';
import { Membership } from './membership.entity';
import { Organisation } from './organisation.entity';
import { Language } from '../common/roles';
import { User } from './user.entity';

/**
 * A condition another module adds to the query that loads an actor (auth: the session has not been
 * signed out), so that loading stays one query without this module knowing the other's tables.
 */
export type ActorCondition = (query: SelectQueryBuilder<ObjectLiteral>) => void;

interface ActorRow {
  userId: string;
  email: string;
  name: string;
  language: Language;
  membershipId: string;
  role: Actor['role'];
  organisationId: string;
  organisationName: string;
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

  findOrganisation(id: string): Promise<Organisation | null> {
    return this.organisations.findOne({ where: { id } });
  }

  /**
   * The actor a session names, or null when the user or that membership no longer exists, or the
   * caller's condition (`onlyIf`) does not hold. One query, whatever the answer.
   */
  async loadActor(userId: string, membershipId: string, onlyIf?: ActorCondition): Promise<Actor | null> {
    const query = this.actorQuery().where('membership.id = :membershipId AND user.id = :userId', {
      membershipId,
      userId,
    });
    onlyIf?.(query);
    const row = await query.getRawOne<ActorRow>();
    return row ? toActor(row) : null;
  }

  /** A person's first membership is the one they sign in to (every demo user has one). */
  async primaryActorOf(userId: string): Promise<Actor | null> {
    const row = await this.actorQuery()
      .where('user.id = :userId', { userId })
      .orderBy('membership.created_at', 'ASC')
      .addOrderBy('membership.id', 'ASC')
      .limit(1)
      .getRawOne<ActorRow>();
    return row ? toActor(row) : null;
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

  async setLanguage(actor: Actor, language: Language): Promise<void> {
    await this.users.update({ id: actor.userId }, { language });
  }

  private actorQuery() {
    return this.dataSource
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
        'organisation.kind AS "organisationKind"',
        'organisation.local_authority_id AS "localAuthorityId"',
      ])
      .from(Membership, 'membership')
      .innerJoin(User, 'user', 'user.id = membership.user_id')
      .innerJoin(Organisation, 'organisation', 'organisation.id = membership.organisation_id');
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
    organisationKind: row.organisationKind,
    localAuthorityId: row.localAuthorityId ?? row.organisationId,
    language: row.language,
  };
}
