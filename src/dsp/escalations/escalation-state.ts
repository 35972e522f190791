import { Injectable } from '@nestjs/common';
import { inSequence } from '../../common/in-sequence';
import { EntityManager, In } from 'typeorm';
import { EscalationAcknowledgement } from './escalation-acknowledgement.entity';
import { EscalationOutcome } from './escalation-outcome.entity';
import { Escalation } from './escalation.entity';
import { EscalationStatus, referralStatus } from './referral-status';

export type { EscalationStatus };

/** A referral with what the local authority has done with it so far. */
export interface EscalationWithState {
  escalation: Escalation;
  acknowledgement: EscalationAcknowledgement | null;
  outcome: EscalationOutcome | null;
  status: EscalationStatus;
  /** Not yet decided and past its due time. */
  overdue: boolean;
}

export function stateOf(
  escalation: Escalation,
  acknowledgement: EscalationAcknowledgement | null,
  outcome: EscalationOutcome | null,
  now = new Date(),
): EscalationWithState {
  const status = referralStatus({ acknowledged: acknowledgement !== null, decided: outcome !== null });
  return {
    escalation,
    acknowledgement,
    outcome,
    status,
    overdue: status !== 'decided' && now.getTime() > escalation.dueBy.getTime(),
  };
}

/** Attaches acknowledgements and outcomes to any number of referrals in two queries. */
@Injectable()
export class EscalationStateReader {
  async withState(manager: EntityManager, escalations: Escalation[]): Promise<EscalationWithState[]> {
    if (escalations.length === 0) return [];
    const ids = escalations.map((e) => e.id);
    const [acknowledgements, outcomes] = await inSequence([
      () => manager.getRepository(EscalationAcknowledgement).find({ where: { escalationId: In(ids) } }),
      () => manager.getRepository(EscalationOutcome).find({ where: { escalationId: In(ids) } }),
    ]);
    const ackById = new Map(acknowledgements.map((a) => [a.escalationId, a]));
    const outcomeById = new Map(outcomes.map((o) => [o.escalationId, o]));
    const now = new Date();
    return escalations.map((e) => stateOf(e, ackById.get(e.id) ?? null, outcomeById.get(e.id) ?? null, now));
  }
}
