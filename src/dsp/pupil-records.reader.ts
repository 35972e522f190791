import { Injectable } from '@nestjs/common';
import { EntityManager, ObjectLiteral } from 'typeorm';
import { inSequence } from '../common/in-sequence';
import { ConcernClosure } from './concerns/concern-closure.entity';
import { ConcernDecision } from './concerns/concern-decision.entity';
import { ConcernLinkedPupil } from './concerns/concern-linked-pupil.entity';
import { BodyMapMark, Concern } from './concerns/concern.entity';
import { withCurrentValues, withValuesAsOf } from './concerns/concern-current';
import { EscalationAcknowledgement } from './escalations/escalation-acknowledgement.entity';
import { EscalationOutcome } from './escalations/escalation-outcome.entity';
import { Escalation } from './escalations/escalation.entity';

/** What the chronology shows of a concern: not its ticks, body map or action taken (issue 9: less to read and build per row). */
export const CHRONOLOGY_CONCERN_FIELDS = [
  'id',
  'pupilId',
  'organisationId',
  'recordedByName',
  'recordedByRole',
  'recordedAt',
  'occurredAt',
  'category',
  'summary',
  'childsWords',
  'childsWordsLanguage',
  'childsWordsLanguageName',
] as const satisfies ReadonlyArray<keyof Concern>;
export type ChronologyConcern = Pick<Concern, (typeof CHRONOLOGY_CONCERN_FIELDS)[number]>;

/** What the chronology shows of a referral: not the referral form, consent or guidance fields. */
export const CHRONOLOGY_ESCALATION_FIELDS = [
  'id',
  'concernId',
  'pupilId',
  'route',
  'reasonForRoute',
  'againstRecommendation',
  'sentByName',
  'sentByRole',
  'sentByOrganisationId',
  'sentAt',
  'redirectedFromId',
] as const satisfies ReadonlyArray<keyof Escalation>;
export type ChronologyEscalation = Pick<Escalation, (typeof CHRONOLOGY_ESCALATION_FIELDS)[number]>;

/** Every record dsp keeps about one pupil, for the chronology. */
export interface PupilRecords {
  concerns: ChronologyConcern[];
  /** Concerns about other pupils that name this one, each with that concern. */
  mentions: Array<ConcernLinkedPupil & { concern: ChronologyConcern }>;
  decisions: ConcernDecision[];
  closures: ConcernClosure[];
  escalations: ChronologyEscalation[];
  acknowledgements: EscalationAcknowledgement[];
  outcomes: EscalationOutcome[];
}

/**
 * A pupil's concerns, decisions, closures, mentions, referrals, acknowledgements and outcomes, for the
 * chronology (exported by DspModule): seven indexed queries by pupil, whatever the length of the
 * history, each reading only the columns the chronology shows (a concern's ticks and body map, a
 * referral's form: JSON a thousand-entry history would otherwise parse on every view). It does not check access: the chronology asks the access policy first.
 */
@Injectable()
export class PupilRecordsReader {
  /**
   * `keptUntil`: the reader keeps another organisation's records only up to that instant (a school whose
   * file was received elsewhere): those concerns are shown as corrected by then.
   */
  async recordsOf(
    manager: EntityManager,
    pupilId: string,
    keptUntil?: { organisationId: string; until: Date },
  ): Promise<PupilRecords> {
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
      () =>
        byPupil(Concern, 'concern')
          .select(CHRONOLOGY_CONCERN_FIELDS.map((field) => `concern.${field}`))
          .getMany(),
      () =>
        byPupil(ConcernLinkedPupil, 'link')
          .innerJoinAndMapOne('link.concern', Concern, 'mentioned', 'mentioned.id = link.concern_id')
          .select(['link', ...CHRONOLOGY_CONCERN_FIELDS.map((field) => `mentioned.${field}`)])
          .getMany(),
      () => byPupil(ConcernDecision, 'decision', concernJoin('decision')).getMany(),
      () => byPupil(ConcernClosure, 'closure', concernJoin('closure')).getMany(),
      () =>
        byPupil(Escalation, 'escalation')
          .select(CHRONOLOGY_ESCALATION_FIELDS.map((field) => `escalation.${field}`))
          .getMany(),
      () => byPupil(EscalationAcknowledgement, 'ack', escalationJoin('ack')).getMany(),
      () => byPupil(EscalationOutcome, 'outcome', escalationJoin('outcome')).getMany(),
    ]);
    // Corrections (dsp/concerns/concern-amendments.service.ts): each concern's current summary, child's words, time and category.
    const shownConcerns = [
      ...concerns,
      ...(mentions as Array<ConcernLinkedPupil & { concern: ChronologyConcern }>).map((link) => link.concern),
    ];
    await withCurrentValues(manager, shownConcerns);
    if (keptUntil)
      await withValuesAsOf(
        manager,
        shownConcerns.filter((concern) => concern.organisationId !== keptUntil.organisationId),
        keptUntil.until,
      );
    return {
      concerns,
      mentions: mentions as Array<ConcernLinkedPupil & { concern: ChronologyConcern }>,
      decisions,
      closures,
      escalations,
      acknowledgements,
      outcomes,
    };
  }

  /**
   * The body maps of a pupil's own concerns, by concern id, for the chronology PDF (which draws them):
   * one indexed query by pupil reading only concerns that have marks. `recordsOf` deliberately leaves
   * body maps out, so the chronology's pages never parse them. No access check: the caller asks first.
   */
  async bodyMapsOf(manager: EntityManager, pupilId: string): Promise<Map<string, BodyMapMark[]>> {
    const rows = await manager
      .getRepository(Concern)
      .createQueryBuilder('concern')
      .select(['concern.id', 'concern.bodyMap'])
      .where('concern.pupil_id = :pupilId', { pupilId })
      .andWhere('concern.body_map IS NOT NULL')
      .getMany();
    return new Map(rows.filter((row) => row.bodyMap?.length).map((row) => [row.id, row.bodyMap!]));
  }
}
