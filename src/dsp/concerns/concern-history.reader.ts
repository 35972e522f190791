import { Injectable } from '@nestjs/common';
import { EntityManager, SelectQueryBuilder } from 'typeorm';
import { GuidanceHistory } from '../../guidance/guidance-engine';
import { HistoryScope, PupilHistoryReader } from '../../guidance/pupil-history';
import { EscalationOutcome } from '../escalations/escalation-outcome.entity';
import { Escalation } from '../escalations/escalation.entity';
import { Pupil, pupilFlags } from '../../school/pupil.entity';
import { Concern } from './concern.entity';
import { applyCurrentValues } from './concern-current';
import { ConcernCurrent } from './concern-amendment.entity';

/**
 * dsp's implementation of guidance's PupilHistoryReader port: a pupil's concerns and MASH referrals
 * with their outcomes, in two queries whatever the length of the history.
 */
@Injectable()
export class ConcernHistoryReader implements PupilHistoryReader {
  async historyOf(
    manager: EntityManager,
    pupilId: string,
    concernId: string | null,
    scope?: HistoryScope,
  ): Promise<GuidanceHistory> {
    const inScope = (alias: string, madeAt: string) =>
      scope ? `(${alias}.organisation_id = :scopeOrganisationId OR ${alias}.${madeAt} <= :scopeUntil)` : '1 = 1';
    const scopeParams = scope
      ? { scopeOrganisationId: scope.organisationId, scopeUntil: scope.until?.toISOString() ?? '' }
      : {};
    // The pupil's other concerns as they now read (corrected time and category:
    // dsp/concerns/concern-amendments.service.ts), their `concern_current` rows joined in the same read.
    const concerns = await manager
      .getRepository(Concern)
      .createQueryBuilder('concern')
      .leftJoinAndMapOne('concern.current', ConcernCurrent, 'current', 'current.concern_id = concern.id')
      .select(['concern.id', 'concern.occurredAt', 'concern.category'])
      .addSelect(['current.concernId', 'current.occurredAt', 'current.category'])
      .where('concern.pupil_id = :pupilId', { pupilId })
      .andWhere(inScope('concern', 'recorded_at'), scopeParams)
      .getMany();
    for (const concern of concerns as Array<Concern & { current?: ConcernCurrent }>) {
      applyCurrentValues(concern, concern.current);
    }
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
      .andWhere(inScope('escalation', 'sent_at'), scopeParams)
      .getMany();
    // An answer the scope does not reach (made after the receipt, to a referral another organisation sent) reads as none yet.
    const answerSeen = (escalation: Escalation, at: Date) =>
      !scope ||
      escalation.organisationId === scope.organisationId ||
      (scope.until !== null && at.getTime() <= scope.until.getTime());
    return {
      otherConcerns: concerns
        .filter((c) => c.id !== concernId)
        .map((c) => ({ occurredAt: c.occurredAt, category: c.category })),
      mashEscalations: escalations.map((e) => {
        const recorded = (e as Escalation & { outcomeRecord?: EscalationOutcome }).outcomeRecord;
        const outcome = recorded && answerSeen(e, recorded.decidedAt) ? recorded : undefined;
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

  pupilQuery(manager: EntityManager, pupilId: string): SelectQueryBuilder<Pupil> {
    return manager.getRepository(Pupil).createQueryBuilder('pupil').where('pupil.id = :historyPupilId', {
      historyPupilId: pupilId,
    });
  }

  flagsOfRow(pupil: Pupil): string[] {
    return pupilFlags(pupil);
  }
}
