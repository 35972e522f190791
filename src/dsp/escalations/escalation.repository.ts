import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccessPolicy } from '../../access/access-policy';
import { Actor } from '../../common/actor';
import { NotFoundError } from '../../common/domain-error';
import { UnitOfWork } from '../../database/unit-of-work';
import { EscalationAcknowledgement } from './escalation-acknowledgement.entity';
import { EscalationOutcome } from './escalation-outcome.entity';
import { Escalation } from './escalation.entity';
import { EscalationStatus, ReferralStatusSql } from './referral-status';
import { ReferralBalanceCountWriter } from '../referral-balance-count-writer';

/**
 * The referral aggregate (the referral, its acknowledgement and its outcome; EscalationStateReader
 * attaches those two), owned here and used through DspModule's exports by the local authority's
 * inbox, which answers referrals: every read and append of these tables goes through this class or
 * dsp's services.
 */
@Injectable()
export class EscalationRepository {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly accessPolicy: AccessPolicy,
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
   * The referrals that reached the actor's team, optionally only those with `status`: the undecided
   * ones first (oldest first), then decided ones (most recent first), at most 500, in one query.
   */
  listReceived(manager: EntityManager, actor: Actor, status?: EscalationStatus): Promise<Escalation[]> {
    const qb = manager.getRepository(Escalation).createQueryBuilder('escalation');
    this.accessPolicy.restrictEscalations(actor, qb, 'escalation');
    if (status) qb.andWhere(ReferralStatusSql.is(status, 'escalation'));
    const decided = ReferralStatusSql.decided('escalation');
    return qb
      .orderBy(`CASE WHEN ${decided} THEN 1 ELSE 0 END`, 'ASC')
      .addOrderBy(`CASE WHEN ${decided} THEN '' ELSE escalation.sent_at END`, 'ASC')
      .addOrderBy('escalation.sentAt', 'DESC')
      .addOrderBy('escalation.id', 'ASC')
      .take(500)
      .getMany();
  }

  /**
   * A referral's outcome, or null, for a caller that loaded a record naming the referral through the
   * policy (the early-help referral a MASH redirect created reads the MASH officer's note).
   */
  outcomeOf(manager: EntityManager, escalationId: string): Promise<EscalationOutcome | null> {
    return manager.getRepository(EscalationOutcome).findOne({ where: { escalationId } });
  }

  /**
   * One page of the referrals that reached the actor's team, optionally only those with `status`, in
   * the inbox's order (overdue at `now` first, then the others still to decide, oldest first, then
   * decided ones, most recent first), with the true number matching and how many of those are overdue.
   */
  async pageReceived(
    manager: EntityManager,
    actor: Actor,
    options: { status?: EscalationStatus; page: number; pageSize: number; now: Date },
  ): Promise<{ escalations: Escalation[]; total: number; overdue: number }> {
    const matching = () => {
      const qb = manager.getRepository(Escalation).createQueryBuilder('escalation');
      this.accessPolicy.restrictEscalations(actor, qb, 'escalation');
      if (options.status) qb.andWhere(ReferralStatusSql.is(options.status, 'escalation'));
      return qb;
    };
    const decided = ReferralStatusSql.decided('escalation');
    // Instants are stored as ISO text of one length, so text order is time order on both engines.
    const now = options.now.toISOString();
    const [escalations, total] = await matching()
      .orderBy(`CASE WHEN ${decided} THEN 2 WHEN escalation.due_by < :now THEN 0 ELSE 1 END`, 'ASC')
      .addOrderBy(`CASE WHEN ${decided} THEN '' ELSE escalation.sent_at END`, 'ASC')
      .addOrderBy('escalation.sentAt', 'DESC')
      .addOrderBy('escalation.id', 'ASC')
      .setParameter('now', now)
      .skip((options.page - 1) * options.pageSize)
      .take(options.pageSize)
      .getManyAndCount();
    const overdue = await matching()
      .andWhere(`NOT ${decided}`)
      .andWhere('escalation.due_by < :now', { now })
      .getCount();
    return { escalations, total, overdue };
  }

  /** Appends a referral (a school's, or the early-help one a MASH redirect creates). */
  async insert(manager: EntityManager, escalation: Escalation): Promise<void> {
    await manager.getRepository(Escalation).insert(escalation);
    await this.referralBalance.referralSent(manager, escalation);
  }

  /** Appends the receiving team's acknowledgement (unique per referral). */
  async insertAcknowledgement(manager: EntityManager, acknowledgement: EscalationAcknowledgement): Promise<void> {
    await manager.getRepository(EscalationAcknowledgement).insert(acknowledgement);
  }

  /** Appends the receiving team's outcome (unique per referral). */
  async insertOutcome(manager: EntityManager, outcome: EscalationOutcome): Promise<void> {
    await manager.getRepository(EscalationOutcome).insert(outcome);
    await this.referralBalance.outcomeRecorded(manager, outcome);
  }
}
