import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccessPolicy, ChronologyScope } from '../access/access-policy';
import { Actor } from '../common/actor';
import { DirectoryService } from './directory/directory.service';
import { ConcernCategory, IssueCode, ReasonableCause, RiskIndicator } from './codes';
import { evaluateGuidance, Guidance, GuidanceHistory } from './guidance-engine';
import { HistoryScope, PUPIL_HISTORY_READER, PupilHistoryReader } from './pupil-history';
import { JsonRowBranch, RowsOfTag, unionOfJsonRows } from '../database/json-rows';

/** What of the history a chronology scope counts: all of it, or what an organisation the pupil left kept. */
function historyScope(scope: ChronologyScope): HistoryScope | undefined {
  return scope.kind === 'retained' ? { organisationId: scope.organisationId, until: scope.until } : undefined;
}

/** Several modules' parameters for one statement: a name two of them use would bind one's value to the other's SQL. */
function mergedParameters(sets: Array<Record<string, unknown>>): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const set of sets)
    for (const [name, value] of Object.entries(set)) {
      if (name in merged) throw new Error(`Two branches of one statement name the parameter ${name}`);
      merged[name] = value;
    }
  return merged;
}

export interface GuidanceSubject {
  category: ConcernCategory;
  issues: IssueCode[];
  indicators: RiskIndicator[];
  occurredAt: Date;
  /** The DSP's threshold judgement: the one being posted, or the concern's latest answered one; null when not answered. */
  reasonableCause: ReasonableCause | null;
  pupilId: string | null;
  /** The concern being evaluated, excluded from its own history; null for a draft. */
  concernId: string | null;
  /** Whose services directory and thresholds apply. */
  localAuthorityId: string;
}

/** What the guidance engine needs besides the concern itself (GuidanceService.inputsFor). */
export interface GuidanceInputs {
  history: GuidanceHistory;
  pupilFlags: string[];
  services: Parameters<typeof evaluateGuidance>[1];
  thresholds: Parameters<typeof evaluateGuidance>[2];
}

/** Another module's `UNION ALL` branches (database/json-rows.ts) to read with the guidance's inputs, and what it makes of their rows. */
export interface RowsAlongside<T> {
  branches: JsonRowBranch[];
  parameters: Record<string, unknown>;
  from(rowsOf: RowsOfTag): T;
}

/**
 * Feeds the pure guidance engine: gets the pupil's history through the PupilHistoryReader port, the
 * local authority's services directory and thresholds, then evaluates. Callers have already checked the actor may see the pupil.
 */
@Injectable()
export class GuidanceService {
  constructor(
    private readonly directory: DirectoryService,
    private readonly accessPolicy: AccessPolicy,
    @Inject(PUPIL_HISTORY_READER) private readonly history: PupilHistoryReader,
  ) {}

  /**
   * The guidance, in codes (the edge puts it into the reader's words: guidance.mapper.ts). The pupil's history counts only for those who may read the
   * pupil's chronology (DSPs and head teachers): for anyone else the answer comes from the concern
   * alone, because a history trigger (or the level it raises) would tell them about other concerns
   * and referrals they may not see. The pupil's flags count for everyone who may see the pupil: a
   * looked-after child's social worker must hear of a concern whoever records it.
   */
  async evaluate(manager: EntityManager, actor: Actor, subject: GuidanceSubject): Promise<Guidance> {
    return GuidanceService.evaluateWith(await this.inputsFor(manager, actor, subject), subject);
  }

  /**
   * What `evaluate` reads (the history the actor may count, the pupil's flags, the directory and the
   * thresholds), without evaluating: a creation reads them before its write transaction (on SQLite on
   * a read connection, beside the one writer) and evaluates with `evaluateWith`.
   */
  async inputsFor(
    manager: EntityManager,
    actor: Actor,
    subject: Pick<GuidanceSubject, 'pupilId' | 'concernId' | 'localAuthorityId'>,
  ): Promise<GuidanceInputs> {
    return (await this.inputsWith(manager, actor, subject, { branches: [], parameters: {}, from: () => null })).inputs;
  }

  /**
   * `inputsFor`, with another module's rows read in the same statement as the history and directory
   * (after the access check, as they are): a creation reads whom to tell with them (issue 9: each
   * statement is a round trip through the event loop). `alongside.from` reads its rows.
   */
  async inputsWith<T>(
    manager: EntityManager,
    actor: Actor,
    subject: Pick<GuidanceSubject, 'pupilId' | 'concernId' | 'localAuthorityId'>,
    alongside: RowsAlongside<T>,
  ): Promise<{ inputs: GuidanceInputs; alongside: T }> {
    const seesHistory = subject.pupilId !== null && this.accessPolicy.may(actor, 'chronology.read');
    // An organisation the pupil has left counts only what it still reads (its own records, and after a
    // transfer those made up to the receipt): a trigger must not tell it of records it may not see.
    // The scope's roll check and the pupil's flags are one statement (issue 9: fewer round trips).
    let scope: ChronologyScope | null = null;
    let pupilFlags: string[] = [];
    if (seesHistory) {
      const read = await this.accessPolicy.chronologyScopeWithPupil(
        actor,
        subject.pupilId!,
        manager,
        this.history.pupilQuery(manager, subject.pupilId!),
      );
      scope = read.scope;
      pupilFlags = this.history.flagsOfRow(read.pupil);
    } else if (subject.pupilId !== null) {
      pupilFlags = await this.history.flagsOf(manager, subject.pupilId);
    }
    // The history (when counted), the directory and the thresholds in one statement, after the access
    // check has decided what of the pupil's history the actor may count (issue 9: fewer round trips).
    const history =
      seesHistory && scope ? this.history.historyBranches(manager, subject.pupilId!, historyScope(scope)) : null;
    const rowsOf = await unionOfJsonRows(
      manager,
      [...(history?.branches ?? []), ...this.directory.directoryBranches(manager), ...alongside.branches],
      mergedParameters([
        history?.parameters ?? {},
        this.directory.directoryParameters(subject.localAuthorityId),
        alongside.parameters,
      ]),
    );
    const { services, thresholds } = this.directory.directoryFrom(manager, rowsOf);
    const counted: GuidanceHistory = history
      ? this.history.historyFrom(manager, rowsOf, subject.concernId, historyScope(scope!))
      : { otherConcerns: [], mashEscalations: [] };
    return { inputs: { history: counted, pupilFlags, services, thresholds }, alongside: alongside.from(rowsOf) };
  }

  /** The guidance for `subject` from inputs read by `inputsFor` (pure: reads nothing). */
  static evaluateWith(inputs: GuidanceInputs, subject: GuidanceSubject): Guidance {
    return evaluateGuidance(
      {
        category: subject.category,
        issues: subject.issues,
        indicators: subject.indicators,
        occurredAt: subject.occurredAt,
        reasonableCause: subject.reasonableCause,
        pupilFlags: inputs.pupilFlags,
        history: inputs.history,
      },
      inputs.services,
      inputs.thresholds,
    );
  }
}
