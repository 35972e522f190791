import { ConcernStateWriter } from '../concern-states/concern-states';
import { Injectable } from '@nestjs/common';
import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { AccessPolicy } from '../../access/access-policy';
import { Actor } from '../../common/actor';
import { NotFoundError } from '../../common/domain-error';
import { countsOf } from '../../database/counts-of';
import { UnitOfWork } from '../../database/unit-of-work';
import { EscalationAcknowledgement } from './escalation-acknowledgement.entity';
import { EscalationOutcome } from './escalation-outcome.entity';
import { Escalation } from './escalation.entity';
import { EscalationStatus, ReferralStatusSql } from './referral-status';
import { ReferralState } from './referral-state.entity';
import { projectReferralStates } from './referral-state-projection';
import { ReferralBalanceCountWriter } from '../referral-balance-count-writer';
import { Pupil } from '../../school/pupil.entity';
import { EscalationWithState, stateOf } from './escalation-state';

/**
 * A page of referrals in order, with what the local authority has done with each (as
 * `EscalationStateReader.withState` would give) and their pupils by id, the true total and the overdue.
 */
export interface SentPage {
  escalations: Escalation[];
  withState: EscalationWithState[];
  pupils: Map<string, Pupil>;
  total: number;
  overdue: number;
}

/**
 * The referral aggregate (the referral, its acknowledgement and its outcome; EscalationStateReader
 * attaches those two), owned here and used through DspModule's exports by the local authority's
 * inbox, which answers referrals: every read and append of these tables goes through this class or
 * dsp's services. Every append goes through `append`, which keeps the derived `referral_states` (one
 * row per referral: its status and the keys the lists order by) in step in the same transaction.
 */
@Injectable()
export class EscalationRepository {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
    private readonly concernStates: ConcernStateWriter,
    private readonly referralBalance: ReferralBalanceCountWriter,
  ) {}

  /** A referral the actor may see, or NotFoundError (404); `forUpdate` locks the row until commit. */
  async findVisible(
    manager: EntityManager,
    actor: Actor,
    escalationId: string,
    options: { forUpdate?: boolean } = {},
  ): Promise<Escalation> {
    const qb = manager
      .getRepository(Escalation)
      .createQueryBuilder('escalation')
      .where('escalation.id = :escalationId', { escalationId });
    if (options.forUpdate) this.unitOfWork.lockRows(qb);
    const escalation = await this.accessPolicy.restrictEscalations(actor, qb, 'escalation').getOne();
    if (!escalation) throw new NotFoundError('Referral');
    return escalation;
  }

  /**
   * A referral's outcome, or null, for a caller that loaded a record naming the referral through the
   * policy (the early-help referral a MASH redirect created reads the MASH officer's note).
   */
  outcomeOf(manager: EntityManager, escalationId: string): Promise<EscalationOutcome | null> {
    return manager.getRepository(EscalationOutcome).findOne({ where: { escalationId } });
  }

  /** The referrals' stored states the actor may see (AccessPolicy narrows referral_states as it does escalations). */
  private states(manager: EntityManager, actor: Actor): SelectQueryBuilder<ReferralState> {
    const qb = manager.getRepository(ReferralState).createQueryBuilder('state');
    return this.accessPolicy.restrictEscalations(actor, qb, 'state');
  }

  /**
   * One page of the referrals that reached the actor's team, optionally only those with `status`, in
   * the inbox's order (still to decide, oldest first, then decided ones, most recently sent first: one
   * index on `inbox_key`), with the true number matching and how many of those are overdue at `now`
   * (an index range). Never capped: every referral is on some page.
   */
  async pageReceived(
    manager: EntityManager,
    actor: Actor,
    options: { status?: EscalationStatus; page: number; pageSize: number; now: Date },
  ): Promise<SentPage> {
    const matching = () => {
      const qb = this.states(manager, actor);
      if (options.status) qb.andWhere(ReferralStatusSql.state.is(options.status, 'state'));
      return qb;
    };
    return this.pageOf(manager, matching, 'state.inbox_key', options);
  }

  /**
   * One page of `matching` in `orderColumn` order (then id), its true total and how many are overdue
   * at `now`: the counts, then the page's referrals with their acknowledgements, outcomes and pupils
   * joined (two statements; a page past the end reads only the counts).
   */
  private async pageOf(
    manager: EntityManager,
    matching: () => SelectQueryBuilder<ReferralState>,
    orderColumn: string,
    options: { page: number; pageSize: number; now: Date },
  ): Promise<SentPage> {
    // Both counts in one statement, as COUNT(*): TypeORM's getCount counts DISTINCT ids, which on
    // PostgreSQL sorted every matching id (the whole MASH inbox) to count a primary key.
    const { total, overdue } = await countsOf(manager, {
      total: matching(),
      overdue: this.overdue(matching(), options.now),
    });
    type Joined = ReferralState & {
      escalation: Escalation;
      acknowledgement?: EscalationAcknowledgement | null;
      outcome?: EscalationOutcome | null;
      named?: Pupil | null;
    };
    // One row each: a referral has at most one acknowledgement and one outcome (unique keys).
    const rows =
      total > (options.page - 1) * options.pageSize
        ? ((await matching()
            .innerJoinAndMapOne('state.escalation', Escalation, 'escalation', 'escalation.id = state.escalation_id')
            .leftJoinAndMapOne(
              'state.acknowledgement',
              EscalationAcknowledgement,
              'acknowledgement',
              'acknowledgement.escalation_id = state.escalation_id',
            )
            .leftJoinAndMapOne(
              'state.outcome',
              EscalationOutcome,
              'outcome',
              'outcome.escalation_id = state.escalation_id',
            )
            .leftJoinAndMapOne('state.named', Pupil, 'named', 'named.id = escalation.pupil_id')
            .orderBy(orderColumn, 'ASC')
            .addOrderBy('state.escalation_id', 'ASC')
            .offset((options.page - 1) * options.pageSize)
            .limit(options.pageSize)
            .getMany()) as Joined[])
        : [];
    return {
      escalations: rows.map((row) => row.escalation),
      withState: rows.map((row) =>
        stateOf(row.escalation, row.acknowledgement ?? null, row.outcome ?? null, options.now),
      ),
      pupils: new Map(rows.filter((row) => row.named).map((row) => [row.named!.id, row.named!])),
      total,
      overdue,
    };
  }

  /** Not decided and past due at `now`: a range of the partial index on due_by. */
  private overdue(qb: SelectQueryBuilder<ReferralState>, now: Date): SelectQueryBuilder<ReferralState> {
    // Instants are stored as ISO text of one length, so text order is time order on both engines.
    return qb
      .andWhere(ReferralStatusSql.state.undecided('state'))
      .andWhere('state.due_by < :now', { now: now.toISOString() });
  }

  /** The receiving team's true counts: still to decide, of those not yet acknowledged, and overdue at `now`. */
  async receivedCounts(
    manager: EntityManager,
    actor: Actor,
    now: Date,
  ): Promise<{ undecided: number; sent: number; overdue: number }> {
    // One statement of COUNT(*)s (each a range of its own index), not three of COUNT(DISTINCT id).
    return countsOf(manager, {
      undecided: this.states(manager, actor).andWhere(ReferralStatusSql.state.undecided('state')),
      sent: this.states(manager, actor).andWhere(ReferralStatusSql.state.is('sent', 'state')),
      overdue: this.overdue(this.states(manager, actor), now),
    });
  }

  /**
   * One page of the referrals the actor's organisation sent, oldest first, optionally only those not
   * decided yet, with the true number matching and how many of those are overdue at `now`.
   */
  async pageSent(
    manager: EntityManager,
    actor: Actor,
    options: { undecided?: boolean; page: number; pageSize: number; now: Date },
  ): Promise<SentPage> {
    const matching = () => {
      const qb = this.states(manager, actor).andWhere('state.organisation_id = :sentFrom', {
        sentFrom: actor.organisationId,
      });
      if (options.undecided) qb.andWhere(ReferralStatusSql.state.undecided('state'));
      return qb;
    };
    return this.pageOf(manager, matching, 'state.sent_at', options);
  }

  /**
   * Appends referrals, acknowledgements and outcomes (a school's referral, the early-help one a MASH
   * redirect creates, the receiving team's answers), then rewrites the stored state of every referral
   * they touch from its records, in the same transaction. Every append goes through here, so
   * `referral_states` never disagrees with the records (acknowledgements and outcomes are unique per
   * referral: a second one fails here, before any state is written).
   */
  async append(
    manager: EntityManager,
    records: {
      escalations?: Escalation[];
      acknowledgements?: EscalationAcknowledgement[];
      outcomes?: EscalationOutcome[];
    },
  ): Promise<void> {
    const { escalations = [], acknowledgements = [], outcomes = [] } = records;
    // Copies: after a multi-row insert TypeORM merges reloaded rows back into the objects by position, and
    // on SQLite they can come back in another order (swapping the caller's ids between its objects).
    const copies = <T extends object>(rows: T[]) => rows.map((row) => ({ ...row }));
    if (escalations.length) await manager.getRepository(Escalation).insert(copies(escalations));
    if (acknowledgements.length)
      await manager.getRepository(EscalationAcknowledgement).insert(copies(acknowledgements));
    if (outcomes.length) await manager.getRepository(EscalationOutcome).insert(copies(outcomes));
    await projectReferralStates(manager, [
      ...escalations.map((e) => e.id),
      ...acknowledgements.map((a) => a.escalationId),
      ...outcomes.map((o) => o.escalationId),
    ]);
    for (const escalation of escalations) await this.referralBalance.referralSent(manager, escalation);
    for (const outcome of outcomes) await this.referralBalance.outcomeRecorded(manager, outcome);
    // A new referral changes its concern's stored state too ("referral sent", a decision no longer pending).
    for (const concernId of new Set(escalations.map((e) => e.concernId))) {
      await this.concernStates.changed(manager, concernId);
    }
  }
}
