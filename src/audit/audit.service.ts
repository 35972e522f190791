import { Inject, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository, SelectQueryBuilder } from 'typeorm';
import { Actor } from '../common/actor';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { newId } from '../common/ids';
import { CommitStep, DatabaseLock, UnitOfWork } from '../database/unit-of-work';
import { ChainedFields, chainOnto } from './audit-chain';
import { AuditChainer } from './audit-chainer';
import { AuditPendingEntry } from './audit-pending-entry.entity';
import { auditPupilId } from './audit-pupil-column';
import { countAuditEntries, countChainedEntries } from './audit-counts';
import { OrganisationsService } from '../organisations/organisations.service';
import { AuditAction, AuditFilter, AuditFilterInput, parseAuditFilter } from './audit-filter';
import { AuditPupils } from './audit-pupils';
import { AuditReadPolicy, AuditScope } from './audit-read-policy';
import { AuditEntryResponse, AuditEntryView, AuditListing, toAuditEntryResponse } from './audit.mapper';
import { AuditDetails, AuditEntry } from './audit-entry.entity';

export { AUDIT_ACTIONS } from './audit-filter';
export type { AuditAction } from './audit-filter';

export interface AuditSubject {
  type: string;
  id: string;
}

/** Who an entry says acted: a signed-in actor, or what is known of someone who is not (yet) one. */
export interface AuditWho {
  userId: string | null;
  name: string;
  role: string | null;
  organisationId: string | null;
}

/** The node-postgres client under a PostgreSQL query runner, as far as `lockedHead` uses it. */
interface PgClient {
  query(text: string): Promise<Array<{ rows: Array<{ seq: number | string; hash: string }> }>>;
}

/** The last entry on the chain, as the next one refers to it. */
interface ChainHead {
  seq: number;
  hash: string;
}

const HEAD_SQL = 'SELECT seq, hash FROM audit_entries ORDER BY seq DESC LIMIT 1';

/** Rows per INSERT when a transaction appends many entries (the demo seed): well inside bind-parameter limits. */
const INSERT_BATCH = 500;

/** An entry as recorded, before the chain gives it its place (`seq`, `prevHash`, `hash`). */
type UnchainedEntry = Omit<ChainedFields, 'seq' | 'prevHash'> & {
  details: AuditDetails | null;
  pupilId: string | null;
};

/** How a transaction's queued entries are written (`AuditService.write`, `appendAlone`). */
interface EntryWriter {
  write(manager: EntityManager, queue: QueuedEntries): Promise<void>;
  appendAlone(manager: EntityManager, entries: UnchainedEntry[]): Promise<boolean>;
}

/** One transaction's entries, written as its last step before commit. */
class QueuedEntries implements CommitStep {
  /** Names this transaction's entries while they wait for the chain (PostgreSQL), so they stay together on it. */
  readonly batch = newId();

  constructor(
    private readonly writer: EntryWriter,
    readonly entries: UnchainedEntry[] = [],
  ) {}

  async run(manager: EntityManager): Promise<void> {
    await this.writer.write(manager, this);
  }

  /** Reads sharing the writer (SQLite): every read's entries, read by read, to append together. */
  joinedWith(others: CommitStep[]): CommitStep {
    const entries = [this, ...others].flatMap((step) => (step as QueuedEntries).entries);
    return new QueuedEntries(this.writer, entries);
  }

  runAlone(manager: EntityManager): Promise<boolean> {
    return this.writer.appendAlone(manager, this.entries);
  }
}

/** How many pupils a typed name may match before the reader is asked to be more precise. */
export const PUPIL_MATCHES = 20;

@Injectable()
export class AuditService {
  /**
   * SQLite: the head as this process's last append committed it (`head` null: the chain was empty), or
   * null when not known. Only ever a guess: `insertOnto` checks it against the database.
   */
  private committedHead: { head: ChainHead | null } | null = null;

  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly readPolicy: AuditReadPolicy,
    private readonly pupils: AuditPupils,
    private readonly organisations: OrganisationsService,
    private readonly chainer: AuditChainer,
    @InjectRepository(AuditEntry) private readonly entries: Repository<AuditEntry>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Records an entry in the caller's transaction, so the change and its record commit or roll back
   * together. Inside a unit of work the entry is only queued here and written as the transaction's
   * last step before COMMIT (`write`). Any other transaction appends it to the chain at once.
   */
  async record(
    manager: EntityManager,
    actor: Actor,
    action: AuditAction,
    subject: AuditSubject,
    details: AuditDetails | null = null,
  ): Promise<void> {
    await this.recordAs(manager, actor, action, subject, details);
  }

  /**
   * `record` for someone who may not be a signed-in actor: a sign-in attempt names no one it has not
   * proved (`userId` and `role` null), only the organisation whose account was tried, if any.
   */
  async recordAs(
    manager: EntityManager,
    who: AuditWho,
    action: AuditAction,
    subject: AuditSubject,
    details: AuditDetails | null = null,
  ): Promise<void> {
    const entry: UnchainedEntry = {
      id: newId(),
      at: new Date(),
      actorUserId: who.userId,
      actorName: who.name,
      actorRole: who.role,
      actorOrganisationId: who.organisationId,
      action,
      subjectType: subject.type,
      subjectId: subject.id,
      details,
      // Outside the hash: hashEntry names the fields it covers, and this is not one of them.
      pupilId: auditPupilId(subject, details),
    };
    const queue = this.unitOfWork.beforeCommit(manager, this, () => new QueuedEntries(this.entryWriter));
    if (queue) queue.entries.push(entry);
    else await this.append(manager, [entry]);
  }

  /**
   * A unit of work's entries, as its last step before COMMIT. On SQLite (one writer at a time) they go
   * straight onto the chain. On PostgreSQL they go into `audit_pending` without any lock, committed
   * with the transaction, and the chainer is asked, after the COMMIT, to put them on the chain; the unit
   * of work does not wait for it (a failed run is retried by the sweep within a second): writers never
   * wait for each other or for the chain here. Readers of the chain chain first (`page`).
   */
  private async write(manager: EntityManager, queue: QueuedEntries): Promise<void> {
    // Until empty: an entry recorded while a write ran (by a caller that did not await) goes after it.
    while (queue.entries.length) {
      const entries = queue.entries.splice(0);
      if (this.unitOfWork.engine !== 'postgres') {
        await this.append(manager, entries);
        continue;
      }
      const rows = entries.map((entry) => ({ ...entry, batch: queue.batch }));
      for (let i = 0; i < rows.length; i += INSERT_BATCH)
        await manager.getRepository(AuditPendingEntry).insert(rows.slice(i, i + INSERT_BATCH));
      // Not awaited: the entries are durable once committed; the chain catches up behind the request.
      this.unitOfWork.afterCommit(manager, this, () => {
        this.chainer.chainLater();
        return Promise.resolve();
      });
    }
  }

  private readonly entryWriter: EntryWriter = {
    write: (manager, queue) => this.write(manager, queue),
    appendAlone: (manager, entries) => this.appendAlone(manager, entries),
  };

  /**
   * SQLite, reads' entries on the writer with no transaction open (`CommitStep.runAlone`): chained onto
   * the head this process last committed and inserted by the one guarded statement (`insertOnto`),
   * which SQLite runs atomically, trigger and all (`audit_counts`), and commits at once. False when it
   * inserted nothing: the head is not known, the entries need more than one insert, or the head has
   * moved; the unit of work then appends them in a transaction (`write`), which reads the head.
   */
  private async appendAlone(manager: EntityManager, entries: UnchainedEntry[]): Promise<boolean> {
    const known = this.committedHead;
    if (this.unitOfWork.engine !== 'sqlite' || !known || entries.length > INSERT_BATCH) return false;
    if (entries.length === 0) return true;
    this.committedHead = null; // unknown unless the insert below is the new head
    const rows = chainOnto(this.config.audit.key, known.head, entries);
    if (!(await this.insertOnto(manager, known.head, rows))) return false;
    const last = rows[rows.length - 1];
    this.committedHead = { head: { seq: last.seq, hash: last.hash } };
    return true;
  }

  /**
   * Chains entries onto the head, in order, in one insert: takes the chain lock (PostgreSQL; on SQLite
   * the unit of work's queue already serialises writers), reads the head, numbers the entries, signs
   * them with the audit key (HMAC) and inserts them. The lock is released by the COMMIT (or ROLLBACK) that follows, so a
   * transaction that fails after this point leaves neither its entries nor a gap.
   *
   * On SQLite a unit of work's append skips the head read when this process knows the head it last
   * committed (`committedHead`): the entries are chained onto it and inserted by one statement that
   * inserts nothing unless that is still the head (`insertOnto`). Anything else that wrote to the chain
   * since (a script such as `admin:create`, a restore, another app instance, a transaction that appended
   * and rolled back) makes it insert nothing; the head is then read and the entries chained onto it.
   */
  private async append(manager: EntityManager, entries: UnchainedEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const key = this.config.audit.key;
    const repository = manager.getRepository(AuditEntry);
    const sqlite = this.unitOfWork.engine === 'sqlite' && manager.queryRunner !== undefined;
    const known = sqlite ? this.committedHead : null;
    this.committedHead = null; // unknown until this transaction commits
    let rows = known ? chainOnto(key, known.head, entries) : null;
    let rest = rows ? rows.slice(INSERT_BATCH) : [];
    if (!rows || !(await this.insertOnto(manager, known!.head, rows.slice(0, INSERT_BATCH)))) {
      rows = chainOnto(key, await this.lockedHead(manager), entries);
      rest = rows;
    }
    for (let i = 0; i < rest.length; i += INSERT_BATCH) await repository.insert(rest.slice(i, i + INSERT_BATCH));
    await countChainedEntries(manager, entries); // PostgreSQL; SQLite's trigger counted them as inserted
    if (sqlite) {
      const last = rows[rows.length - 1];
      const head = { seq: last.seq, hash: last.hash };
      // Known again once committed; a transaction that is not a unit of work leaves it unknown. A new
      // key for each append: after-commit steps run in order, so the transaction's last append wins.
      this.unitOfWork.afterCommit(manager, {}, () => {
        this.committedHead = { head };
        return Promise.resolve();
      });
    }
  }

  /**
   * SQLite: inserts the chained rows in one statement only if `head` is still the chain's head (its
   * `seq` and `hash`, and nothing after it); true if it did. The statement takes the write lock before
   * it looks, so nothing can append between the check and the insert.
   */
  private async insertOnto(
    manager: EntityManager,
    head: ChainHead | null,
    rows: Array<UnchainedEntry & { seq: number; prevHash: string; hash: string }>,
  ): Promise<boolean> {
    const metadata = manager.connection.getMetadata(AuditEntry);
    const driver = manager.connection.driver;
    const columns = metadata.columns;
    const params: unknown[] = [];
    const values = rows.map((row) => {
      for (const column of columns) params.push(driver.preparePersistentValue(column.getEntityValue(row), column));
      return `(${columns.map(() => '?').join(', ')})`;
    });
    let guard = 'NOT EXISTS (SELECT 1 FROM audit_entries)';
    if (head) {
      guard =
        '(SELECT hash FROM audit_entries WHERE seq = ?) = ? AND NOT EXISTS (SELECT 1 FROM audit_entries WHERE seq > ?)';
      params.push(head.seq, head.hash, head.seq);
    }
    const sql =
      `INSERT INTO audit_entries (${columns.map((column) => `"${column.databaseName}"`).join(', ')}) ` +
      `SELECT * FROM (VALUES ${values.join(', ')}) WHERE ${guard}`;
    const result = (await manager.queryRunner!.query(sql, params, true)) as { affected?: number };
    return result.affected === rows.length;
  }

  /**
   * Takes the chain lock and reads the head after it. On PostgreSQL both go in one round trip: two
   * statements in one simple query, each with its own snapshot (READ COMMITTED), so the head is read
   * after the lock is granted and sees the previous holder's committed entries. The lock is held until
   * this transaction ends, so every round trip here is time other writers wait.
   */
  private async lockedHead(manager: EntityManager): Promise<ChainHead | null> {
    if (this.unitOfWork.engine === 'postgres' && manager.queryRunner) {
      const client = (await manager.queryRunner.connect()) as PgClient;
      const sql = `SELECT pg_advisory_xact_lock(${DatabaseLock.AuditChain}); ${HEAD_SQL}`;
      manager.connection.logger.logQuery(sql, [], manager.queryRunner);
      const [, head] = await client.query(sql);
      const row = head.rows[0];
      return row ? { seq: Number(row.seq), hash: row.hash } : null;
    }
    await this.unitOfWork.lock(manager, DatabaseLock.AuditChain);
    // SQLite: the write lock before the head, by a statement that changes nothing (it waits its turn,
    // busy timeout and all). A head read first and inserted onto after would have to upgrade a read
    // snapshot to a write, which SQLite refuses at once (SQLITE_BUSY, no wait) whenever another process
    // (a script, a second instance) committed in between: the request failed.
    if (this.unitOfWork.engine === 'sqlite') await manager.query('DELETE FROM audit_entries WHERE 0');
    const head = await manager
      .getRepository(AuditEntry)
      .find({ order: { seq: 'DESC' }, take: 1, select: { seq: true, hash: true } });
    return head[0] ?? null;
  }

  /**
   * Who did what, views included, newest first, one page with the true total. Which entries the reader
   * may see is the access policy's decision: a head teacher their organisation's staff's actions, or a
   * whole subject's history when they filter by a subject or pupil they may see (404 otherwise); the LA
   * lead the local authority's own people's actions (never a school's). Pupils are named in one query per page, and only
   * where the reader may see them.
   */
  async page(actor: Actor, input: AuditFilterInput): Promise<AuditListing> {
    const filter = parseAuditFilter(input);
    // PostgreSQL: every entry committed before this request arrived goes on the chain (and into the
    // counts) before the log is read, whichever instance committed it; a failed run fails the page
    // rather than showing a log that silently lacks entries. SQLite chains in the writer: at once.
    await this.chainer.chainSoon();
    const manager = this.unitOfWork.manager;
    const empty = (pupilMatches: AuditListing['pupilMatches'] = null): AuditListing => ({
      items: [],
      page: filter.page,
      pageSize: filter.pageSize,
      total: 0,
      filter,
      pupilMatches,
      pupilName: null,
    });
    const scope = await this.scopeFor(actor, filter);
    if (scope.kind === 'actor_organisations' && scope.organisationIds.length === 0) return empty();

    let pupilIds = filter.pupilId ? [filter.pupilId] : null;
    let pupilMatches: AuditListing['pupilMatches'] = null;
    if (filter.pupilText) {
      pupilMatches = await this.pupils.matching(manager, actor, filter.pupilText, PUPIL_MATCHES);
      const matched = pupilMatches.map((pupil) => pupil.id);
      pupilIds = pupilIds ? pupilIds.filter((id) => matched.includes(id)) : matched;
      if (pupilIds.length === 0) return empty(pupilMatches);
    }

    const qb = this.entries.createQueryBuilder('entry');
    if (scope.kind === 'actor_organisations')
      qb.andWhere('entry.actor_organisation_id IN (:...organisationIds)', { organisationIds: scope.organisationIds });
    if (scope.kind === 'subject' && scope.retained)
      qb.andWhere('(entry.actor_organisation_id = :retainedOrganisationId OR entry.at <= :retainedUntil)', {
        retainedOrganisationId: scope.retained.organisationId,
        retainedUntil: scope.retained.until?.toISOString() ?? '',
      });
    if (filter.subjectType) qb.andWhere('entry.subject_type = :subjectType', { subjectType: filter.subjectType });
    if (filter.subjectId) qb.andWhere('entry.subject_id = :subjectId', { subjectId: filter.subjectId });
    if (filter.actorId) qb.andWhere('entry.actor_user_id = :actorId', { actorId: filter.actorId });
    if (filter.action) qb.andWhere('entry.action = :action', { action: filter.action });
    if (filter.atOrAfter) qb.andWhere('entry.at >= :atOrAfter', { atOrAfter: filter.atOrAfter });
    if (filter.before) qb.andWhere('entry.at < :before', { before: filter.before });
    if (pupilIds) aboutPupils(qb, pupilIds);

    // The common views (everything in the reader's scope, by action and days) are counted from
    // audit_counts; a person, pupil or subject narrows the log through its own index.
    const countable =
      scope.kind === 'actor_organisations' && !filter.subjectType && !filter.subjectId && !filter.actorId && !pupilIds;
    const total = countable
      ? await countAuditEntries(manager, {
          organisationIds: scope.organisationIds,
          action: filter.action,
          from: filter.from,
          to: filter.to,
        })
      : await qb.getCount();
    // Newest first. With days, by time (then seq), so the (at, seq) index gives the range in order
    // instead of a walk back through the whole log; `seq` and `at` agree but for milliseconds.
    const ordered =
      filter.atOrAfter || filter.before
        ? qb.orderBy('entry.at', 'DESC').addOrderBy('entry.seq', 'DESC')
        : qb.orderBy('entry.seq', 'DESC');
    const rows = await ordered
      .offset((filter.page - 1) * filter.pageSize)
      .limit(filter.pageSize)
      .getMany();

    const pupilOf = (entry: AuditEntry) =>
      auditPupilId({ type: entry.subjectType, id: entry.subjectId }, entry.details);
    const namedPupils = [...new Set([...rows.map(pupilOf), filter.pupilId ?? null].filter((id) => id !== null))];
    const names = await this.pupils.namesFor(manager, actor, namedPupils);
    const organisationIds = [...new Set(rows.map((entry) => entry.actorOrganisationId).filter((id) => id !== null))];
    const organisations = await this.organisations.namesByIds(manager, organisationIds);

    return {
      items: rows.map((entry) => {
        const pupilId = pupilOf(entry);
        return {
          at: entry.at,
          actor: {
            id: entry.actorUserId,
            name: entry.actorName,
            role: entry.actorRole,
            organisation: entry.actorOrganisationId ? (organisations.get(entry.actorOrganisationId) ?? null) : null,
          },
          action: entry.action,
          subjectType: entry.subjectType,
          subjectId: entry.subjectId,
          pupil: pupilId ? { id: pupilId, name: names.get(pupilId) ?? null } : null,
        };
      }),
      page: filter.page,
      pageSize: filter.pageSize,
      total,
      filter,
      pupilMatches,
      pupilName: filter.pupilId ? (names.get(filter.pupilId) ?? null) : null,
    };
  }

  /** The newest entries about a subject (or the reader's whole scope), as the API once listed them: one page of up to `limit`. */
  async list(
    actor: Actor,
    query: { subjectType?: string; subjectId?: string; limit?: number },
  ): Promise<AuditEntryResponse[]> {
    const { subjectType, subjectId, limit } = query;
    const listing = await this.page(actor, { subjectType, subjectId, pageSize: Math.min(limit ?? 200, 200) });
    return listing.items.map(toAuditEntryResponse);
  }

  /** The people whose actions the reader may review without a subject filter (the page's "person" choices), by name. */
  async peopleInScope(actor: Actor): Promise<Array<{ id: string; name: string }>> {
    const scope = await this.readPolicy.auditScope(actor, null);
    if (scope.kind !== 'actor_organisations') return [];
    // The members of the organisations whose staff's entries the reader may see: never a scan of the log.
    const rows = await this.organisations.peopleOf(scope.organisationIds);
    // Sorted here, not in SQL: the engines collate names differently.
    return rows.sort((a, b) => a.name.localeCompare(b.name, 'en-GB') || a.id.localeCompare(b.id));
  }

  /**
   * The reader's scope for these filters: a subject or pupil named by id is checked by the policy (404
   * when the reader may not see it) and, if every one is the reader's, the scope is its whole history.
   */
  private async scopeFor(actor: Actor, filter: AuditFilter): Promise<AuditScope> {
    const subjects: Array<{ type: string; id: string }> = [];
    if (filter.subjectType && filter.subjectId) subjects.push({ type: filter.subjectType, id: filter.subjectId });
    if (filter.pupilId) subjects.push({ type: 'pupil', id: filter.pupilId });
    if (subjects.length === 0) return this.readPolicy.auditScope(actor, null);
    let scope: AuditScope = { kind: 'subject' };
    for (const subject of subjects) {
      const answer = await this.readPolicy.auditScope(actor, subject);
      // The narrower answer wins: an organisation's actions, or a subject read only as far as it was kept.
      if (answer.kind !== 'subject' || answer.retained) scope = answer;
    }
    return scope;
  }
}

/**
 * Entries about any of these pupils: their own record (`subjectType` pupil) or a concern or referral
 * about them (`details.pupilId`), both copied into the indexed `pupil_id` when recorded
 * (audit-pupil-column.ts), so this is an index lookup, newest first by (pupil_id, seq).
 */
function aboutPupils(qb: SelectQueryBuilder<AuditEntry>, pupilIds: string[]): void {
  qb.andWhere('entry.pupil_id IN (:...auditPupilIds)', { auditPupilIds: pupilIds });
}

export type { AuditEntryView, AuditListing };
