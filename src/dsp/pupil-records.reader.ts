import { Injectable } from '@nestjs/common';
import { EntityManager, ObjectLiteral } from 'typeorm';
import { hydrateJsonRow, JsonRowBranch, jsonRowOf, RowsOfTag, tableOf } from '../database/json-rows';
import { ConcernClosure } from './concerns/concern-closure.entity';
import { ConcernDecision } from './concerns/concern-decision.entity';
import { ConcernLinkedPupil } from './concerns/concern-linked-pupil.entity';
import { BodyMapMark, Concern } from './concerns/concern.entity';
import { withCurrentValuesFrom, withValuesAsOf } from './concerns/concern-current';
import { ConcernCurrent } from './concerns/concern-amendment.entity';
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

/** What each of `recordBranches` reads. */
type RecordKind =
  'concern' | 'mention' | 'decision' | 'closure' | 'escalation' | 'acknowledgement' | 'outcome' | 'current';

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
 * chronology (exported by DspModule): branches of the chronology's one statement, whatever the length of
 * the history (issue 9: a `UNION ALL` of indexed reads by pupil, each row as JSON), each branch reading only the columns the chronology shows (a concern's ticks and body map, a
 * referral's form: JSON a thousand-entry history would otherwise parse on every view). It does not check access: the chronology asks the access policy first.
 */
@Injectable()
export class PupilRecordsReader {
  /**
   * The reads of the pupil's records as `UNION ALL` branches by `:pupilId` (database/json-rows.ts), for
   * the chronology to run with its other reads in one statement; `recordsFrom` makes the records of
   * their rows.
   */
  recordBranches(manager: EntityManager): JsonRowBranch[] {
    const table = (entity: new () => object) => tableOf(manager, entity);
    const row = <T extends ObjectLiteral>(
      entity: new () => T,
      alias: string,
      properties?: ReadonlyArray<keyof T & string>,
      nested?: Record<string, string>,
    ) => jsonRowOf(manager, entity, alias, properties, nested);
    const concernFields = CHRONOLOGY_CONCERN_FIELDS;
    // Each branch by pupil through the same indexes as a query of its own; `row` is the row as JSON.
    const branches: Array<[RecordKind, string, string]> = [
      [
        'concern',
        row(Concern, 'concern', concernFields),
        `FROM ${table(Concern)} concern WHERE concern.pupil_id = :pupilId`,
      ],
      [
        'mention',
        row(ConcernLinkedPupil, 'link', undefined, { concern: row(Concern, 'mentioned', concernFields) }),
        `FROM ${table(ConcernLinkedPupil)} link INNER JOIN ${table(Concern)} mentioned ON mentioned.id = link.concern_id
         WHERE link.pupil_id = :pupilId`,
      ],
      [
        'decision',
        row(ConcernDecision, 'decision'),
        `FROM ${table(ConcernDecision)} decision
         INNER JOIN ${table(Concern)} c ON c.id = decision.concern_id WHERE c.pupil_id = :pupilId`,
      ],
      [
        'closure',
        row(ConcernClosure, 'closure'),
        `FROM ${table(ConcernClosure)} closure
         INNER JOIN ${table(Concern)} c ON c.id = closure.concern_id WHERE c.pupil_id = :pupilId`,
      ],
      [
        'escalation',
        row(Escalation, 'escalation', CHRONOLOGY_ESCALATION_FIELDS),
        `FROM ${table(Escalation)} escalation
         WHERE escalation.pupil_id = :pupilId`,
      ],
      [
        'acknowledgement',
        row(EscalationAcknowledgement, 'ack'),
        `FROM ${table(EscalationAcknowledgement)} ack
         INNER JOIN ${table(Escalation)} e ON e.id = ack.escalation_id WHERE e.pupil_id = :pupilId`,
      ],
      [
        'outcome',
        row(EscalationOutcome, 'outcome'),
        `FROM ${table(EscalationOutcome)} outcome
         INNER JOIN ${table(Escalation)} e ON e.id = outcome.escalation_id WHERE e.pupil_id = :pupilId`,
      ],
      // Corrections (dsp/concerns/concern-amendments.service.ts): the current values of the pupil's own
      // concerns and of the concerns that name them.
      ['current', row(ConcernCurrent, 'cur'), `FROM ${table(ConcernCurrent)} cur WHERE cur.pupil_id = :pupilId`],
      [
        'current',
        row(ConcernCurrent, 'cur'),
        `FROM ${table(ConcernCurrent)} cur
         INNER JOIN ${table(ConcernLinkedPupil)} link ON link.concern_id = cur.concern_id WHERE link.pupil_id = :pupilId`,
      ],
    ];
    return branches.map(([tag, body, from]) => ({ tag, row: body, from }));
  }

  /**
   * The records of `recordBranches`' rows. `keptUntil`: the reader keeps another organisation's records
   * only up to that instant (a school whose file was received elsewhere): those concerns are shown as
   * corrected by then (one more query).
   */
  async recordsFrom(
    manager: EntityManager,
    rowsOf: RowsOfTag,
    keptUntil?: { organisationId: string; until: Date },
  ): Promise<PupilRecords> {
    const records: PupilRecords = {
      concerns: [],
      mentions: [],
      decisions: [],
      closures: [],
      escalations: [],
      acknowledgements: [],
      outcomes: [],
    };
    const current: ConcernCurrent[] = [];
    const rowsOfKind = (kind: RecordKind) => rowsOf(kind);
    for (const json of rowsOfKind('concern')) records.concerns.push(hydrateJsonRow(manager, Concern, json));
    for (const json of rowsOfKind('mention')) {
      const link = hydrateJsonRow(manager, ConcernLinkedPupil, json);
      const concern = hydrateJsonRow(manager, Concern, json.concern as Record<string, unknown>);
      records.mentions.push(Object.assign(link, { concern }));
    }
    for (const json of rowsOfKind('decision')) records.decisions.push(hydrateJsonRow(manager, ConcernDecision, json));
    for (const json of rowsOfKind('closure')) records.closures.push(hydrateJsonRow(manager, ConcernClosure, json));
    for (const json of rowsOfKind('escalation')) records.escalations.push(hydrateJsonRow(manager, Escalation, json));
    for (const json of rowsOfKind('acknowledgement'))
      records.acknowledgements.push(hydrateJsonRow(manager, EscalationAcknowledgement, json));
    for (const json of rowsOfKind('outcome')) records.outcomes.push(hydrateJsonRow(manager, EscalationOutcome, json));
    for (const json of rowsOfKind('current')) current.push(hydrateJsonRow(manager, ConcernCurrent, json));
    const shownConcerns = [...records.concerns, ...records.mentions.map((link) => link.concern)];
    withCurrentValuesFrom(current, shownConcerns);
    if (keptUntil)
      await withValuesAsOf(
        manager,
        shownConcerns.filter((concern) => concern.organisationId !== keptUntil.organisationId),
        keptUntil.until,
      );
    return records;
  }

  /**
   * The body maps of a pupil's own concerns, by concern id, for the chronology PDF (which draws them):
   * one indexed query by pupil reading only concerns that have marks. `recordBranches` deliberately leave
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
