import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Actor } from '../common/actor';
import { newId } from '../common/ids';
import { recordedBy } from '../common/recorded-by';
import { UnitOfWork } from '../database/unit-of-work';
import { ConcernStateWriter } from '../dsp/concern-states/concern-states';
import { ActionCompletion } from '../dsp/actions/action-completion.entity';
import { Action } from '../dsp/actions/action.entity';
import { ConcernAttachment } from '../dsp/attachments/concern-attachment.entity';
import { ConcernAmendment, ConcernCurrent } from '../dsp/concerns/concern-amendment.entity';
import { ConcernClosure } from '../dsp/concerns/concern-closure.entity';
import { ConcernDecision } from '../dsp/concerns/concern-decision.entity';
import { Concern } from '../dsp/concerns/concern.entity';
import { EscalationAcknowledgement } from '../dsp/escalations/escalation-acknowledgement.entity';
import { EscalationOutcome } from '../dsp/escalations/escalation-outcome.entity';
import { Escalation } from '../dsp/escalations/escalation.entity';
import { IdempotencyKey } from '../dsp/submissions/idempotency-key.entity';
import { Placement, PlacementEnding, PlacementReview } from '../pru/placement.entity';
import { Transfer } from '../transfers/transfer.entity';
import { DisposedCounts } from './retention.entities';

/** What an emptied text column says instead (a NOT NULL column keeps a value; a nullable one becomes null). */
export const DISPOSED_TEXT = '';

/** The correctable fields whose amendments carry the recorder's words (the others are codes and times). */
const TEXT_FIELDS = ['summary', 'childsWords', 'context', 'actionTaken'];

/**
 * Removes the content of one pupil's safeguarding records, in the caller's transaction: every word
 * written about the child (concerns' summaries, the child's words, body maps, actions taken; decisions'
 * and closings' rationales; the text of corrections; actions and their completion notes; referrals'
 * details and consent notes; the local authority's outcome notes), every attached file's bytes and
 * name, and the stored answers of repeated submissions. The rows stay, emptied: their ids, kinds,
 * dates and who made them are what other records (states, counts, the audit log) refer to, and what the
 * tombstone counts. Records of OTHER pupils that name this one (a linked mention) are theirs, and kept.
 *
 * This is the one place where records are changed in place (docs/architecture.md, "Retention").
 */
@Injectable()
export class RecordDisposer {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly concernStates: ConcernStateWriter,
  ) {}

  async dispose(manager: EntityManager, pupilId: string, approver: Actor): Promise<DisposedCounts> {
    const concernIds = (await manager.getRepository(Concern).find({ select: { id: true }, where: { pupilId } })).map(
      (row) => row.id,
    );
    const escalations = await manager.getRepository(Escalation).find({ where: { pupilId } });
    const escalationIds = escalations.map((row) => row.id);
    const actionIds = (await manager.getRepository(Action).find({ select: { id: true }, where: { pupilId } })).map(
      (row) => row.id,
    );
    const byConcern = { concernId: In(concernIds) };
    const byEscalation = { escalationId: In(escalationIds) };
    const byAction = { actionId: In(actionIds) };

    const counts: DisposedCounts = {
      concerns: concernIds.length,
      decisions: concernIds.length ? await manager.getRepository(ConcernDecision).countBy(byConcern) : 0,
      closures: concernIds.length ? await manager.getRepository(ConcernClosure).countBy(byConcern) : 0,
      amendments: concernIds.length ? await manager.getRepository(ConcernAmendment).countBy(byConcern) : 0,
      attachments: concernIds.length ? await manager.getRepository(ConcernAttachment).countBy(byConcern) : 0,
      actions: actionIds.length,
      actionCompletions: actionIds.length ? await manager.getRepository(ActionCompletion).countBy(byAction) : 0,
      referrals: escalationIds.length,
      referralAcknowledgements: escalationIds.length
        ? await manager.getRepository(EscalationAcknowledgement).countBy(byEscalation)
        : 0,
      referralOutcomes: escalationIds.length ? await manager.getRepository(EscalationOutcome).countBy(byEscalation) : 0,
    };

    if (concernIds.length) {
      await manager.update(
        Concern,
        { pupilId },
        {
          summary: DISPOSED_TEXT,
          childsWords: null,
          childsWordsLanguage: null,
          childsWordsLanguageName: null,
          actionTaken: null,
          bodyMap: null,
        },
      );
      await manager.update(
        ConcernCurrent,
        { pupilId },
        { summary: DISPOSED_TEXT, childsWords: null, actionTaken: null },
      );
      await manager.update(ConcernDecision, byConcern, { rationale: DISPOSED_TEXT, reasonForRoute: null });
      await manager.update(ConcernClosure, byConcern, { rationale: DISPOSED_TEXT });
      await manager.update(ConcernAmendment, byConcern, { reason: DISPOSED_TEXT });
      await manager.update(
        ConcernAmendment,
        { concernId: In(concernIds), field: In(TEXT_FIELDS) },
        { previous: null, value: null },
      );
      // The bytes are unmapped (attachments/attachment-contents.ts): emptied in SQL, with the name.
      const placeholders = concernIds.map((_, index) => this.placeholder(index + 2)).join(', ');
      await manager.query(
        `UPDATE concern_attachments SET content = ${this.placeholder(0)}, filename = ${this.placeholder(1)} WHERE concern_id IN (${placeholders})`,
        [Buffer.alloc(0), DISPOSED_TEXT, ...concernIds],
      );
    }
    if (actionIds.length) {
      await manager.update(Action, { pupilId }, { description: DISPOSED_TEXT });
      await manager.update(ActionCompletion, byAction, { note: DISPOSED_TEXT });
    }
    for (const escalation of escalations)
      await manager.update(
        Escalation,
        { id: escalation.id },
        { reasonForRoute: null, referral: {}, consent: { sought: escalation.consent.sought } },
      );
    if (escalationIds.length) await manager.update(EscalationOutcome, byEscalation, { note: DISPOSED_TEXT });
    // Placements and moves of school carry words about the child too (why placed, how reviews went, the
    // note sent with a file); the placements, dates and schools stay, as the chronology's frame.
    const placementIds = (
      await manager.getRepository(Placement).find({ select: { id: true }, where: { pupilId } })
    ).map((row) => row.id);
    if (placementIds.length) {
      await manager.update(Placement, { pupilId }, { reasonDetail: null });
      await manager.update(PlacementReview, { placementId: In(placementIds) }, { note: DISPOSED_TEXT });
      await manager.update(PlacementEnding, { placementId: In(placementIds) }, { note: DISPOSED_TEXT });
    }
    await manager.update(Transfer, { pupilId }, { note: null });
    // A concern still open would stay in the DSP's queue, offering triage of a record with no content:
    // the disposal closes it (an appended closure, by the approver), so queues, decisions, referrals and
    // actions treat it as the finished record it now is.
    const closed = new Set(
      concernIds.length
        ? (await manager.getRepository(ConcernClosure).find({ select: { concernId: true }, where: byConcern })).map(
            (row) => row.concernId,
          )
        : [],
    );
    for (const concernId of concernIds.filter((id) => !closed.has(id))) {
      await manager.getRepository(ConcernClosure).insert({
        id: newId(),
        concernId,
        rationale: DISPOSED_TEXT,
        ...recordedBy('closedBy', approver),
        closedAt: new Date(),
      });
      await this.concernStates.changed(manager, concernId);
    }
    // A repeated submission's stored answer may quote the record: the key goes with its content.
    await manager.delete(IdempotencyKey, { pupilId });
    return counts;
  }

  private placeholder(index: number): string {
    return this.unitOfWork.engine === 'postgres' ? `$${index + 1}` : '?';
  }
}
