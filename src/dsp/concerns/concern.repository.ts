import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { QueryResult } from 'typeorm/query-runner/QueryResult';
import { AccessPolicy } from '../../access/access-policy';
import { Actor } from '../../common/actor';
import { NotFoundError } from '../../common/domain-error';
import { UnitOfWork } from '../../database/unit-of-work';
import { ConcernState } from '../concern-states/concern-state.entity';
import { withCurrentValues } from './concern-current';
import { ConcernClosure } from './concern-closure.entity';
import { ConcernDecision } from './concern-decision.entity';
import { Concern } from './concern.entity';
import { statusOfRank } from './concern-status';
import { ConcernStatus } from './dto/list-concerns.dto';
import { ActionConcerns } from '../actions/action-concerns';

/**
 * The concern aggregate's reads (the concern and the records appended to it), for dsp's services and,
 * through DspModule's exports, for the modules that show concerns (local-authority).
 */
@Injectable()
export class ConcernRepository implements ActionConcerns {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
  ) {}

  /**
   * Inserts `concern` if `guard` (SQL and its parameters, e.g. `AccessPolicy.pupilOnRollQuery`) finds a
   * row, in one plain parameterised statement (TypeORM's insert builder would be the same insert with a
   * separate check before it); true when it was written. The values go through TypeORM's own column
   * conversions (instants, JSON), so the row is the one `insert` would store.
   */
  async insertWhereExists(
    manager: EntityManager,
    concern: Concern,
    [guardSql, guardParams]: [string, unknown[]],
  ): Promise<boolean> {
    const { driver } = manager.connection;
    const columns = manager.connection.getMetadata(Concern).columns;
    const values = columns.map(
      (column): unknown => driver.preparePersistentValue(column.getEntityValue(concern), column) as unknown,
    );
    const postgres = driver.options.type === 'postgres';
    // PostgreSQL numbers its parameters (the guard's are $1...); SQLite's `?` take them in order of appearance.
    const placeholders = values.map((_, i) => (postgres ? `$${guardParams.length + i + 1}` : '?'));
    const sql =
      `INSERT INTO concerns (${columns.map((column) => `"${column.databaseName}"`).join(', ')}) ` +
      `SELECT ${placeholders.join(', ')} WHERE EXISTS (${guardSql})`;
    const result: QueryResult = await manager.queryRunner!.query(
      sql,
      postgres ? [...guardParams, ...values] : [...values, ...guardParams],
      true,
    );
    return result.affected === 1;
  }

  /**
   * A concern the actor may see, or NotFoundError (404, as if it did not exist). `forUpdate` (inside a
   * transaction, before checking its state) locks the row until commit, so two changes take turns.
   */
  async findVisible(
    manager: EntityManager,
    actor: Actor,
    concernId: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<Concern> {
    const qb = manager
      .getRepository(Concern)
      .createQueryBuilder('concern')
      .where('concern.id = :concernId', { concernId });
    if (options.forUpdate) this.unitOfWork.lockRows(qb);
    const concern = await this.accessPolicy.restrictConcerns(actor, qb, 'concern').getOne();
    if (!concern) throw new NotFoundError('Concern');
    // Corrections (dsp/concerns/concern-amendments.service.ts): the concern as it now reads; its row keeps what was recorded.
    await withCurrentValues(manager, [concern]);
    return concern;
  }

  /** Whether the concern has been closed (its closure exists): actions are not set on a closed concern. */
  isClosed(manager: EntityManager, concernId: string): Promise<boolean> {
    return manager.getRepository(ConcernClosure).exists({ where: { concernId } });
  }

  /**
   * One concern by id, in one query, for a caller that has already loaded through the access policy a
   * record that names it (the local authority's referral); a missing concern is a bug in the caller.
   */
  async byId(manager: EntityManager, concernId: string): Promise<Concern> {
    const concern = await manager.getRepository(Concern).findOneOrFail({ where: { id: concernId } });
    await withCurrentValues(manager, [concern]);
    return concern;
  }

  /** Concerns by id in one query (none for no ids), for callers that loaded the records naming them through the policy. */
  async byIds(manager: EntityManager, concernIds: string[]): Promise<Map<string, Concern>> {
    if (concernIds.length === 0) return new Map();
    const concerns = await manager.getRepository(Concern).find({ where: { id: In([...new Set(concernIds)]) } });
    await withCurrentValues(manager, concerns);
    return new Map(concerns.map((concern) => [concern.id, concern]));
  }

  /**
   * The decision that was current at `at` (the latest made by then), or null: what a referral sent at
   * `at` carried of the DSP's reasoning.
   */
  latestDecisionAt(manager: EntityManager, concernId: string, at: Date): Promise<ConcernDecision | null> {
    return manager
      .getRepository(ConcernDecision)
      .createQueryBuilder('decision')
      .where('decision.concern_id = :concernId', { concernId })
      .andWhere('decision.decided_at <= :at', { at: at.toISOString() })
      .orderBy('decision.decided_at', 'DESC')
      .addOrderBy('decision.id', 'DESC')
      .limit(1)
      .getOne();
  }

  /** The statuses of any number of concerns in one query, from the stored state (concern-status.ts's rule). */
  /** How many of an organisation's concerns about a pupil still wait for a DSP's first decision (one indexed COUNT). */
  awaitingTriageCount(manager: EntityManager, organisationId: string, pupilId: string): Promise<number> {
    return manager.getRepository(ConcernState).count({ where: { organisationId, pupilId, statusRank: 0 } });
  }

  async statusesOf(manager: EntityManager, concernIds: string[]): Promise<Map<string, ConcernStatus>> {
    if (concernIds.length === 0) return new Map();
    const states = await manager.getRepository(ConcernState).find({
      select: { concernId: true, statusRank: true },
      where: { concernId: In([...new Set(concernIds)]) },
    });
    return new Map(states.map((state) => [state.concernId, statusOfRank(state.statusRank)]));
  }
}
