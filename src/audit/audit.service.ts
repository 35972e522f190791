import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { Actor } from '../common/actor';
import { newId } from '../common/ids';
import { CommitStep, DatabaseLock, UnitOfWork } from '../database/unit-of-work';
import { ChainedFields, GENESIS_HASH, hashEntry } from './audit-chain';
import { AuditReadPolicy } from './audit-read-policy';
import { AuditDetails, AuditEntry } from './audit-entry.entity';
import { AuditEntryResponse, toAuditEntryResponse } from './audit.mapper';

/** `<subject>.<past tense>`, as API.md lists them. */
export const AUDIT_ACTIONS = [
  'pupil.viewed',
  'pupil_list.viewed',
  'concern_list.viewed',
  'escalation_list.viewed',
  'chronology.viewed',
  'guidance.evaluated',
  'concern.recorded',
  'concern.viewed',
  'concern.decided',
  'concern.closed',
  'escalation.sent',
  'escalation.viewed',
  'escalation.acknowledged',
  'escalation.outcome_recorded',
  'directory.updated',
  'guidance_settings.updated',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditSubject {
  type: string;
  id: string;
}

/** The node-postgres client under a PostgreSQL query runner, as far as `lockedHead` uses it. */
interface PgClient {
  query(text: string): Promise<Array<{ rows: Array<{ seq: number | string; hash: string }> }>>;
}

const HEAD_SQL = 'SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1';

/** Rows per INSERT when a transaction appends many entries (the demo seed): well inside bind-parameter limits. */
const INSERT_BATCH = 500;

/** An entry as recorded, before the chain gives it its place (`seq`, `prevHash`, `hash`). */
type UnchainedEntry = Omit<ChainedFields, 'seq' | 'prevHash'> & { details: AuditDetails | null };

/** One transaction's entries, appended to the chain as its last step before commit. */
class QueuedEntries implements CommitStep {
  readonly entries: UnchainedEntry[] = [];

  constructor(private readonly append: (manager: EntityManager, entries: UnchainedEntry[]) => Promise<void>) {}

  async run(manager: EntityManager): Promise<void> {
    // Until empty: an entry recorded while an append ran (by a caller that did not await) goes after it.
    while (this.entries.length) await this.append(manager, this.entries.splice(0));
  }
}

export interface AuditQuery {
  subjectType?: string;
  subjectId?: string;
  limit?: number;
}

@Injectable()
export class AuditService {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly readPolicy: AuditReadPolicy,
    @InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>,
  ) {}

  /**
   * Records an entry in the caller's transaction, so the change and its record commit or roll back
   * together. Inside `unitOfWork.run` the entry is only queued here; the unit of work appends every
   * queued entry as its last step before COMMIT (`append`), so the chain lock is held for that append
   * and the commit, not for the request. Any other transaction appends at once.
   */
  async record(
    manager: EntityManager,
    actor: Actor,
    action: AuditAction,
    subject: AuditSubject,
    details: AuditDetails | null = null,
  ): Promise<void> {
    const entry: UnchainedEntry = {
      id: newId(),
      at: new Date(),
      actorUserId: actor.userId,
      actorName: actor.name,
      actorRole: actor.role,
      actorOrganisationId: actor.organisationId,
      action,
      subjectType: subject.type,
      subjectId: subject.id,
      details,
    };
    const queue = this.unitOfWork.beforeCommit(
      manager,
      this,
      () => new QueuedEntries((m, entries) => this.append(m, entries)),
    );
    if (queue) queue.entries.push(entry);
    else await this.append(manager, [entry]);
  }

  /**
   * Chains entries onto the head, in order, in one insert: takes the chain lock (PostgreSQL; on SQLite
   * the unit of work's queue already serialises transactions), reads the head, numbers and hashes the
   * entries and inserts them. The lock is released by the COMMIT (or ROLLBACK) that follows, so a
   * transaction that fails after this point leaves neither its entries nor a gap.
   */
  private async append(manager: EntityManager, entries: UnchainedEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const head = await this.lockedHead(manager);
    let seq = head?.seq ?? 0;
    let prevHash = head?.hash ?? GENESIS_HASH;
    const repository = manager.getRepository(AuditEntry);
    const rows = entries.map((entry) => {
      seq += 1;
      const fields = { ...entry, seq, prevHash };
      prevHash = hashEntry(fields);
      return { ...fields, hash: prevHash };
    });
    for (let i = 0; i < rows.length; i += INSERT_BATCH) await repository.insert(rows.slice(i, i + INSERT_BATCH));
  }

  /**
   * Takes the chain lock and reads the head after it. On PostgreSQL both go in one round trip: two
   * statements in one simple query, each with its own snapshot (READ COMMITTED), so the head is read
   * after the lock is granted and sees the previous holder's committed entries. The lock is held until
   * this transaction ends, so every round trip here is time other writers wait.
   */
  private async lockedHead(manager: EntityManager): Promise<{ seq: number; hash: string } | null> {
    if (this.unitOfWork.engine === 'postgres' && manager.queryRunner) {
      const client = (await manager.queryRunner.connect()) as PgClient;
      const sql = `SELECT pg_advisory_xact_lock(${DatabaseLock.AuditChain}); ${HEAD_SQL}`;
      manager.connection.logger.logQuery(sql, [], manager.queryRunner);
      const [, head] = await client.query(sql);
      const row = head.rows[0];
      return row ? { seq: Number(row.seq), hash: row.hash } : null;
    }
    await this.unitOfWork.lock(manager, DatabaseLock.AuditChain);
    const head = await manager
      .getRepository(AuditEntry)
      .find({ order: { seq: 'DESC' }, take: 1, select: { seq: true, hash: true } });
    return head[0] ?? null;
  }

  /** Who did what to a subject, views included. Scope is the access policy's decision. */
  async list(actor: Actor, query: AuditQuery): Promise<AuditEntryResponse[]> {
    const scope = await this.readPolicy.auditScope(
      actor,
      query.subjectType && query.subjectId ? { type: query.subjectType, id: query.subjectId } : null,
    );
    const qb = this.entries
      .createQueryBuilder('entry')
      .orderBy('entry.seq', 'DESC')
      .take(Math.min(query.limit ?? 200, 1000));
    if (query.subjectType) qb.andWhere('entry.subjectType = :subjectType', { subjectType: query.subjectType });
    if (query.subjectId) qb.andWhere('entry.subjectId = :subjectId', { subjectId: query.subjectId });
    if (scope.kind === 'actor_organisations') {
      if (scope.organisationIds.length === 0) return [];
      qb.andWhere('entry.actorOrganisationId IN (:...organisationIds)', { organisationIds: scope.organisationIds });
    }
    return (await qb.getMany()).map(toAuditEntryResponse);
  }
}
