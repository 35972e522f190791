import { Injectable } from '@nestjs/common';
import { EntityManager, SelectQueryBuilder } from 'typeorm';
import {
  hydrateJsonRow,
  JsonRowBranch,
  jsonRowOf,
  RowsOfTag,
  tableOf,
  unionOfJsonRows,
} from '../../database/json-rows';
import { GuidanceHistory } from '../../guidance/guidance-engine';
import { HistoryScope, PupilHistoryReader } from '../../guidance/pupil-history';
import { EscalationOutcome } from '../escalations/escalation-outcome.entity';
import { Escalation } from '../escalations/escalation.entity';
import { Pupil, pupilFlags } from '../../school/pupil.entity';
import { Concern } from './concern.entity';
import { applyCurrentValues } from './concern-current';
import { ConcernCurrent } from './concern-amendment.entity';

/** A LEFT JOINed row's JSON object, or null when nothing joined (its key column is null). */
function joined(value: unknown): Record<string, unknown> | null {
  const row = (typeof value === 'string' ? JSON.parse(value) : value) as Record<string, unknown> | null;
  if (!row) return null;
  const key = 'concernId' in row ? row.concernId : row.id;
  return key === null || key === undefined ? null : row;
}

/**
 * dsp's implementation of guidance's PupilHistoryReader port: a pupil's concerns and MASH referrals
 * with their outcomes, in one statement whatever the length of the history (a `UNION ALL` of indexed
 * reads by pupil, rows as JSON: database/json-rows.ts), which the guidance can read with its own.
 */
@Injectable()
export class ConcernHistoryReader implements PupilHistoryReader {
  async historyOf(
    manager: EntityManager,
    pupilId: string,
    concernId: string | null,
    scope?: HistoryScope,
  ): Promise<GuidanceHistory> {
    const { branches, parameters } = this.historyBranches(manager, pupilId, scope);
    return this.historyFrom(manager, await unionOfJsonRows(manager, branches, parameters), concernId, scope);
  }

  historyBranches(
    manager: EntityManager,
    pupilId: string,
    scope?: HistoryScope,
  ): { branches: JsonRowBranch[]; parameters: Record<string, unknown> } {
    const inScope = (alias: string, madeAt: string) =>
      scope
        ? `(${alias}.organisation_id = :historyScopeOrganisationId OR ${alias}.${madeAt} <= :historyScopeUntil)`
        : '1 = 1';
    const parameters = {
      historyPupilId: pupilId,
      historyRoute: 'mash',
      ...(scope
        ? { historyScopeOrganisationId: scope.organisationId, historyScopeUntil: scope.until?.toISOString() ?? '' }
        : {}),
    };
    return {
      branches: [
        // The pupil's other concerns as they now read (corrected time and category:
        // dsp/concerns/concern-amendments.service.ts), their `concern_current` rows joined.
        {
          tag: 'history.concern',
          row: jsonRowOf(manager, Concern, 'concern', ['id', 'occurredAt', 'category'], {
            current: jsonRowOf(manager, ConcernCurrent, 'corrected', ['concernId', 'occurredAt', 'category']),
          }),
          from: `FROM ${tableOf(manager, Concern)} concern
            LEFT JOIN ${tableOf(manager, ConcernCurrent)} corrected ON corrected.concern_id = concern.id
            WHERE concern.pupil_id = :historyPupilId AND ${inScope('concern', 'recorded_at')}`,
        },
        {
          tag: 'history.mash',
          row: jsonRowOf(manager, Escalation, 'escalation', ['id', 'concernId', 'organisationId', 'sentAt'], {
            outcome: jsonRowOf(manager, EscalationOutcome, 'outcome', ['id', 'outcome', 'decidedAt']),
          }),
          from: `FROM ${tableOf(manager, Escalation)} escalation
            LEFT JOIN ${tableOf(manager, EscalationOutcome)} outcome ON outcome.escalation_id = escalation.id
            WHERE escalation.pupil_id = :historyPupilId AND escalation.route = :historyRoute
            AND ${inScope('escalation', 'sent_at')}`,
        },
      ],
      parameters,
    };
  }

  historyFrom(
    manager: EntityManager,
    rowsOf: RowsOfTag,
    concernId: string | null,
    scope?: HistoryScope,
  ): GuidanceHistory {
    const concerns = rowsOf('history.concern').map((row) => {
      const current = joined(row.current) ? hydrateJsonRow(manager, ConcernCurrent, joined(row.current)!) : null;
      const { current: _current, ...own } = row;
      return applyCurrentValues(hydrateJsonRow(manager, Concern, own), current);
    });
    const escalations = rowsOf('history.mash').map((row) => {
      const outcome = joined(row.outcome) ? hydrateJsonRow(manager, EscalationOutcome, joined(row.outcome)!) : null;
      const { outcome: _outcome, ...own } = row;
      return { escalation: hydrateJsonRow(manager, Escalation, own), outcome };
    });
    // An answer the scope does not reach (made after the receipt, to a referral another organisation sent) reads as none yet.
    const answerSeen = (escalation: Escalation, at: Date) =>
      !scope ||
      escalation.organisationId === scope.organisationId ||
      (scope.until !== null && at.getTime() <= scope.until.getTime());
    return {
      otherConcerns: concerns
        .filter((c) => c.id !== concernId)
        .map((c) => ({ occurredAt: c.occurredAt, category: c.category })),
      mashEscalations: escalations.map(({ escalation: e, outcome: recorded }) => {
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
