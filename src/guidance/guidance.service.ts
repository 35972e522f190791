import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AccessPolicy, ChronologyScope } from '../access/access-policy';
import { Actor } from '../common/actor';
import { DirectoryService } from './directory/directory.service';
import { ConcernCategory, IssueCode, ReasonableCause, RiskIndicator } from './codes';
import { evaluateGuidance, Guidance, GuidanceHistory } from './guidance-engine';
import { PUPIL_HISTORY_READER, PupilHistoryReader } from './pupil-history';

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
    const history: GuidanceHistory =
      seesHistory && scope
        ? await this.history.historyOf(
            manager,
            subject.pupilId!,
            subject.concernId,
            scope.kind === 'retained' ? { organisationId: scope.organisationId, until: scope.until } : undefined,
          )
        : { otherConcerns: [], mashEscalations: [] };
    const services = await this.directory.directoryFor(manager, subject.localAuthorityId);
    const thresholds = await this.directory.thresholdsFor(manager, subject.localAuthorityId);
    return { history, pupilFlags, services, thresholds };
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
