import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { GuidanceHistory } from '../../guidance/guidance-engine';
import { PupilHistoryReader } from '../../guidance/pupil-history';
import { EscalationOutcome } from '../escalations/escalation-outcome.entity';
import { Escalation } from '../escalations/escalation.entity';
import { Pupil, pupilFlags } from '../../school/pupil.entity';
import { Concern } from './concern.entity';

/**
 * dsp's implementation of guidance's PupilHistoryReader port: a pupil's concerns and MASH referrals
 * with their outcomes, in two queries whatever the length of the history.
 */
@Injectable()
export class ConcernHistoryReader implements PupilHistoryReader {
  async historyOf(manager: EntityManager, pupilId: string, concernId: string | null): Promise<GuidanceHistory> {
    const concerns = await manager
      .getRepository(Concern)
      .createQueryBuilder('concern')
      .select(['concern.id', 'concern.occurredAt', 'concern.category'])
      .where('concern.pupil_id = :pupilId', { pupilId })
      .getMany();
    const escalations = await manager
      .getRepository(Escalation)
      .createQueryBuilder('escalation')
      .leftJoinAndMapOne(
        'escalation.outcomeRecord',
        EscalationOutcome,
        'outcome',
        'outcome.escalation_id = escalation.id',
      )
      .where('escalation.pupil_id = :pupilId AND escalation.route = :route', { pupilId, route: 'mash' })
      .getMany();
    return {
      otherConcerns: concerns
        .filter((c) => c.id !== concernId)
        .map((c) => ({ occurredAt: c.occurredAt, category: c.category })),
      mashEscalations: escalations.map((e) => {
        const outcome = (e as Escalation & { outcomeRecord?: EscalationOutcome }).outcomeRecord;
        return {
          sentAt: e.sentAt,
          concernIsThisOne: e.concernId === concernId,
          outcome: outcome?.outcome ?? null,
          outcomeAt: outcome?.decidedAt ?? null,
        };
      }),
    };
  }

  async flagsOf(manager: EntityManager, pupilId: string): Promise<string[]> {
    const pupil = await manager.getRepository(Pupil).findOne({ where: { id: pupilId } });
    return pupil ? pupilFlags(pupil) : [];
  }
}
