import { Injectable } from '@nestjs/common';
import { EntityManager, ObjectLiteral } from 'typeorm';
import { inSequence } from '../common/in-sequence';
import { ConcernClosure } from './concerns/concern-closure.entity';
import { ConcernDecision } from './concerns/concern-decision.entity';
import { ConcernLinkedPupil } from './concerns/concern-linked-pupil.entity';
import { Concern } from './concerns/concern.entity';
import { EscalationAcknowledgement } from './escalations/escalation-acknowledgement.entity';
import { EscalationOutcome } from './escalations/escalation-outcome.entity';
import { Escalation } from './escalations/escalation.entity';

/** Every record dsp keeps about one pupil, for the chronology. */
export interface PupilRecords {
  concerns: Concern[];
  /** Concerns about other pupils that name this one, each with that concern. */
  mentions: Array<ConcernLinkedPupil & { concern: Concern }>;
  decisions: ConcernDecision[];
  closures: ConcernClosure[];
  escalations: Escalation[];
  acknowledgements: EscalationAcknowledgement[];
  outcomes: EscalationOutcome[];
}

/**
 * A pupil's concerns, decisions, closures, mentions, referrals, acknowledgements and outcomes, for the
 * chronology (exported by DspModule): seven indexed queries by pupil, whatever the length of the
 * history. It does not check access: the chronology asks the access policy first.
 */
@Injectable()
export class PupilRecordsReader {
  async recordsOf(manager: EntityManager, pupilId: string): Promise<PupilRecords> {
    const byPupil = <T extends ObjectLiteral>(
      entity: new () => T,
      alias: string,
      join?: { table: new () => object; alias: string; on: string },
    ) => {
      const qb = manager.getRepository(entity).createQueryBuilder(alias);
      if (join) qb.innerJoin(join.table, join.alias, join.on);
      return qb.where(`${join ? join.alias : alias}.pupil_id = :pupilId`, { pupilId });
    };
    const concernJoin = (alias: string) => ({ table: Concern, alias: 'c', on: `c.id = ${alias}.concern_id` });
    const escalationJoin = (alias: string) => ({ table: Escalation, alias: 'e', on: `e.id = ${alias}.escalation_id` });
    const [concerns, mentions, decisions, closures, escalations, acknowledgements, outcomes] = await inSequence([
      () => byPupil(Concern, 'concern').getMany(),
      () =>
        byPupil(ConcernLinkedPupil, 'link')
          .innerJoinAndMapOne('link.concern', Concern, 'mentioned', 'mentioned.id = link.concern_id')
          .getMany(),
      () => byPupil(ConcernDecision, 'decision', concernJoin('decision')).getMany(),
      () => byPupil(ConcernClosure, 'closure', concernJoin('closure')).getMany(),
      () => byPupil(Escalation, 'escalation').getMany(),
      () => byPupil(EscalationAcknowledgement, 'ack', escalationJoin('ack')).getMany(),
      () => byPupil(EscalationOutcome, 'outcome', escalationJoin('outcome')).getMany(),
    ]);
    return {
      concerns,
      mentions: mentions as Array<ConcernLinkedPupil & { concern: Concern }>,
      decisions,
      closures,
      escalations,
      acknowledgements,
      outcomes,
    };
  }
}
