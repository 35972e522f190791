import { EntityManager } from 'typeorm';
import { Actor } from '../../common/actor';
import { ConcernCategory, IssueCode, ReasonableCause, RiskIndicator } from '../../guidance/codes';
import { Guidance } from '../../guidance/guidance-engine';

/** What a referral needs to know of the concern it is made from. */
export interface ConcernToRefer {
  id: string;
  pupilId: string;
  /** The school or PRU that recorded it: its DSPs own the concern's decisions. */
  organisationId: string;
  category: ConcernCategory;
  issues: IssueCode[];
  indicators: RiskIndicator[];
  occurredAt: Date;
}

/**
 * Referrals' port onto concerns, so that escalations/ does not import concerns/ (concerns/ imports
 * escalations/ for a concern's referrals and its page's referral form). ConcernsService implements it;
 * DspModule provides it under CONCERNS_TO_REFER.
 */
export interface ConcernsToRefer {
  /** The concern, if the actor may see it (NotFoundError otherwise), locked until commit. */
  lockVisible(manager: EntityManager, actor: Actor, concernId: string): Promise<ConcernToRefer>;
  /** RuleBrokenError `concern_closed` once the concern is closed. */
  assertNotClosed(manager: EntityManager, concern: ConcernToRefer): Promise<void>;
  /**
   * The guidance for the concern, as the actor reads it, evaluated with `reasonableCause` when given
   * (null: not answered), else with the concern's own threshold judgement (its latest answered one).
   */
  guidanceFor(
    manager: EntityManager,
    concern: ConcernToRefer,
    actor: Actor,
    reasonableCause?: ReasonableCause | null,
  ): Promise<Guidance>;
  /** The concern's threshold judgement (its latest answered one), null for those who do not see the DSP's working. */
  judgementOf(manager: EntityManager, concern: ConcernToRefer, actor: Actor): Promise<ReasonableCause | null>;
}

export const CONCERNS_TO_REFER = Symbol('CONCERNS_TO_REFER');
