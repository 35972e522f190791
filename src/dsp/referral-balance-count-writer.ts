import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { londonDateOf } from '../calendar/london-time';
import {
  REFERRAL_BALANCE_COLUMNS,
  referralBalanceRebuildStatements,
} from '../database/migrations/1764640200000-ReferralBalanceCounts';

/**
 * The referral balance's counts (`referral_balance_counts`), a derived read model kept up to date IN
 * THE SAME TRANSACTION as each append that changes a figure, so the report sums a few hundred rows
 * instead of reading the whole history (issue 9). Safeguarding records stay append-only: only these
 * counts change, and `rebuildReferralBalanceCounts` can always count them again from the records.
 *
 * Rows: (organisation, span 'day' | 'month', London bucket `YYYY-MM-DD` | `YYYY-MM`), one integer
 * column per measure (the migration's REFERRAL_BALANCE_COLUMNS). Every change is written to the day
 * and to its month. The measures, exactly as the report defined them when it counted from the history:
 *
 * By the concern's organisation and the London day the concern OCCURRED (each concern counts once):
 * - `concerns`: the concern.
 * - `decision.<outcome>`: its latest decision (by decided_at, ties by id). A newer decision replaces
 *   it: the concern's count moves from the old outcome to the new one.
 * - `decision_below`: that latest decision was recorded below the guidance (`below_guidance`).
 * - `unreported`: no referral of the concern, ever, to MASH, the designated officer or the police,
 *   and its guidance level is 4 or 0: the `guidance_level` of its latest decision, else (no decision,
 *   or one made before the level was kept) the `recommended_level` of its latest referral (by sent_at,
 *   ties by id). A concern with neither is not counted.
 *
 * By the referral's organisation and the London day it was SENT, the school's own referrals only (an
 * early-help referral a MASH redirect created, `redirected_from_id` set, is MASH's choice, not the
 * school's, so it counts nowhere here; it still is the concern's latest referral for `unreported`):
 * - `referral.<route>`: the referral.
 * - `against`: on a route BELOW the guidance: `against_recommendation` on an early-help referral, or
 *   on a designated-officer referral of an emergency (level 0). Going up is never below.
 * - `above`: `above_guidance`, or a referral to MASH, the designated officer or the police at guidance
 *   level 1 to 3 (rows from before that column existed). The local authority lead's figure only.
 * - `outcome.<route>.<outcome>`: the receiving team's outcome of that referral (at most one each).
 *
 * Closures, acknowledgements and linked pupils change no figure.
 *
 * Concurrency: each change is one INSERT ... ON CONFLICT DO UPDATE SET c = c + excluded.c (atomic on
 * both engines: two transactions adding to the same count both count), its rows in one fixed order so
 * two PostgreSQL transactions never wait for each other round a loop. Call it last in the transaction,
 * after the append: the count's row lock is then held only until the commit.
 */

/** The routes that are a report to social services or the police (DOMAIN.md, level 4 and 0). */
const REPORT_ROUTES: readonly string[] = ['mash', 'designated_officer', 'police'];

/** The instant columns come back as Date (entities) or ISO text (raw rows). */
type Instant = Date | string;

/** What the writer needs of a concern. */
export interface CountedConcern {
  id: string;
}

/** What the writer needs of a decision. */
export interface CountedDecision {
  id: string;
  concernId: string;
}

/** What the writer needs of a referral (an `Escalation`). */
export interface CountedReferral {
  id: string;
  concernId: string;
  organisationId: string;
  route: string;
  againstRecommendation: boolean;
  aboveGuidance: boolean;
  recommendedLevel: number;
  sentAt: Instant;
  redirectedFromId: string | null;
}

/** What the writer needs of an outcome (an `EscalationOutcome`). */
export interface CountedOutcome {
  escalationId: string;
  outcome: string;
}

/** Changes to apply: key `organisation|day|measure` → amount. */
type Changes = Map<string, number>;

const add = (changes: Changes, organisationId: string, day: string, measure: string, amount: number) => {
  if (amount === 0) return;
  const key = `${organisationId}|${day}|${measure}`;
  changes.set(key, (changes.get(key) ?? 0) + amount);
};

const dayOf = (instant: Instant) => londonDateOf(new Date(instant));

/** A concern's contribution to the figures: its measures, each 1. */
interface ConcernContribution {
  organisationId: string;
  day: string;
  measures: string[];
}

interface DecisionRow {
  id: string;
  outcome: string;
  below: unknown;
  level: number | string | null;
}

interface ReferralRow {
  id: string;
  route: string;
  level: number | string | null;
}

/** Booleans come back as 1/0 on SQLite, true/false on PostgreSQL. */
const truthy = (value: unknown) => value === true || Number(value) === 1;

const levelOf = (value: number | string | null | undefined) =>
  value === null || value === undefined ? null : Number(value);

@Injectable()
export class ReferralBalanceCountWriter {
  /** A concern was recorded (call after inserting it). */
  async concernRecorded(manager: EntityManager, concern: CountedConcern): Promise<void> {
    const changes: Changes = new Map();
    const state = await this.concernState(manager, concern.id);
    if (state) this.addContribution(changes, state.contribution({}), 1);
    await this.apply(manager, changes);
  }

  /**
   * A concern was recorded in this transaction with nothing appended to it yet (no decision, no
   * referral): it counts in `concerns` only, on the day it occurred, with nothing to read back.
   */
  async newConcernRecorded(
    manager: EntityManager,
    concern: { organisationId: string; occurredAt: Instant },
  ): Promise<void> {
    const changes: Changes = new Map();
    add(changes, concern.organisationId, dayOf(concern.occurredAt), 'concerns', 1);
    await this.apply(manager, changes);
  }

  /** A decision was recorded (call after inserting it): the concern's latest decision may have changed. */
  async decisionRecorded(manager: EntityManager, decision: CountedDecision): Promise<void> {
    const changes: Changes = new Map();
    const state = await this.concernState(manager, decision.concernId);
    if (state) {
      this.addContribution(changes, state.contribution({ decisionId: decision.id }), -1);
      this.addContribution(changes, state.contribution({}), 1);
    }
    await this.apply(manager, changes);
  }

  /**
   * A referral was sent (call after inserting it): a school's own, a staff report, or the early-help
   * referral a MASH redirect creates. It may also report the concern, or change its latest referral.
   */
  async referralSent(manager: EntityManager, referral: CountedReferral): Promise<void> {
    const changes: Changes = new Map();
    if (referral.redirectedFromId === null) {
      const day = dayOf(referral.sentAt);
      const organisationId = referral.organisationId;
      add(changes, organisationId, day, `referral.${referral.route}`, 1);
      const level = Number(referral.recommendedLevel);
      if (
        referral.againstRecommendation &&
        (referral.route === 'early_help' || (referral.route === 'designated_officer' && level === 0))
      )
        add(changes, organisationId, day, 'against', 1);
      if (referral.aboveGuidance || (REPORT_ROUTES.includes(referral.route) && level >= 1 && level <= 3))
        add(changes, organisationId, day, 'above', 1);
    }
    const state = await this.concernState(manager, referral.concernId);
    if (state) {
      this.addContribution(changes, state.contribution({ referralId: referral.id }), -1);
      this.addContribution(changes, state.contribution({}), 1);
    }
    await this.apply(manager, changes);
  }

  /** The receiving team recorded its outcome of a referral (call after inserting it). */
  async outcomeRecorded(manager: EntityManager, outcome: CountedOutcome): Promise<void> {
    const referral = await manager
      .createQueryBuilder()
      .select('escalation.organisation_id', 'organisationId')
      .addSelect('escalation.route', 'route')
      .addSelect('escalation.sent_at', 'sentAt')
      .addSelect('escalation.redirected_from_id', 'redirectedFromId')
      .from('escalations', 'escalation')
      .where('escalation.id = :id', { id: outcome.escalationId })
      .getRawOne<{ organisationId: string; route: string; sentAt: string; redirectedFromId: string | null }>();
    if (!referral || referral.redirectedFromId !== null) return;
    const changes: Changes = new Map();
    add(changes, referral.organisationId, dayOf(referral.sentAt), `outcome.${referral.route}.${outcome.outcome}`, 1);
    await this.apply(manager, changes);
  }

  private addContribution(changes: Changes, contribution: ConcernContribution, sign: 1 | -1) {
    for (const measure of contribution.measures)
      add(changes, contribution.organisationId, contribution.day, measure, sign);
  }

  /**
   * The concern as stored now (its own row, its two latest decisions, its referrals: a handful of
   * indexed rows), and its contribution with or without one of its records: without the record just
   * appended is what it contributed before, with it what it contributes now.
   */
  private async concernState(manager: EntityManager, concernId: string) {
    const concern = await manager
      .createQueryBuilder()
      .select('concern.organisation_id', 'organisationId')
      .addSelect('concern.occurred_at', 'occurredAt')
      .from('concerns', 'concern')
      .where('concern.id = :concernId', { concernId })
      .getRawOne<{ organisationId: string; occurredAt: string }>();
    if (!concern) return undefined;
    const decisions: DecisionRow[] = await manager
      .createQueryBuilder()
      .select('decision.id', 'id')
      .addSelect('decision.outcome', 'outcome')
      .addSelect('decision.below_guidance', 'below')
      .addSelect('decision.guidance_level', 'level')
      .from('concern_decisions', 'decision')
      .where('decision.concern_id = :concernId', { concernId })
      .orderBy('decision.decided_at', 'DESC')
      .addOrderBy('decision.id', 'DESC')
      .limit(2)
      .getRawMany();
    const referrals: ReferralRow[] = await manager
      .createQueryBuilder()
      .select('referral.id', 'id')
      .addSelect('referral.route', 'route')
      .addSelect('referral.recommended_level', 'level')
      .from('escalations', 'referral')
      .where('referral.concern_id = :concernId', { concernId })
      .orderBy('referral.sent_at', 'DESC')
      .addOrderBy('referral.id', 'DESC')
      .getRawMany();
    const day = dayOf(concern.occurredAt);
    return {
      contribution: (without: { decisionId?: string; referralId?: string }): ConcernContribution => {
        const latest = decisions.find((decision) => decision.id !== without.decisionId);
        const kept = referrals.filter((referral) => referral.id !== without.referralId);
        const measures = ['concerns'];
        if (latest) measures.push(`decision.${latest.outcome}`);
        if (latest && truthy(latest.below)) measures.push('decision_below');
        const reported = kept.some((referral) => REPORT_ROUTES.includes(referral.route));
        const level = levelOf(latest?.level) ?? levelOf(kept[0]?.level);
        if (!reported && (level === 0 || level === 4)) measures.push('unreported');
        return { organisationId: concern.organisationId, day, measures };
      },
    };
  }

  /** One upsert for the day rows and their months, in key order. */
  private async apply(manager: EntityManager, changes: Changes): Promise<void> {
    const rows = new Map<
      string,
      { organisationId: string; span: string; bucket: string; counts: Map<string, number> }
    >();
    const touched = new Set<string>();
    for (const [key, amount] of changes) {
      const [organisationId, day, measure] = key.split('|');
      const column = COLUMN_OF.get(measure);
      // A code with no column yet (a migration adds one) counts nowhere, as the report ignores it.
      if (amount === 0 || !column) continue;
      for (const [span, bucket] of [
        ['day', day],
        ['month', day.slice(0, 7)],
      ]) {
        const rowKey = `${organisationId}|${span}|${bucket}`;
        const row = rows.get(rowKey) ?? { organisationId, span, bucket, counts: new Map<string, number>() };
        row.counts.set(column, (row.counts.get(column) ?? 0) + amount);
        rows.set(rowKey, row);
        touched.add(column);
      }
    }
    const ordered = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
    const columns = [...touched].sort();
    if (ordered.length === 0) return;
    const postgres = manager.connection.options.type === 'postgres';
    const width = 3 + columns.length;
    const parameters = ordered.flatMap((row) => [
      row.organisationId,
      row.span,
      row.bucket,
      ...columns.map((column) => row.counts.get(column) ?? 0),
    ]);
    const values = ordered.map((_, index) => {
      const marks = Array.from({ length: width }, (__, at) => (postgres ? `$${index * width + at + 1}` : '?'));
      return `(${marks.join(', ')})`;
    });
    await manager.query(
      `INSERT INTO referral_balance_counts (organisation_id, span, bucket, ${columns.join(', ')}) VALUES ` +
        values.join(', ') +
        ' ON CONFLICT (organisation_id, span, bucket) DO UPDATE SET ' +
        columns.map((column) => `${column} = referral_balance_counts.${column} + excluded.${column}`).join(', '),
      parameters,
    );
  }
}

/** The count column of each measure the writer names. */
const COLUMN_OF = new Map(REFERRAL_BALANCE_COLUMNS.map((column) => [column.measure, column.name]));

/**
 * Counts every figure again from the append-only records (the migration's SQL): for bulk loads (the
 * local-authority dataset generator, the demo seed) that insert records without the writer. Run it in
 * a transaction after the load, with no other writer running.
 */
export async function rebuildReferralBalanceCounts(manager: EntityManager): Promise<void> {
  const engine = manager.connection.options.type === 'postgres' ? 'postgres' : 'sqlite';
  for (const statement of referralBalanceRebuildStatements(engine)) await manager.query(statement);
}
