import { EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { JsonRowBranch, RowsOfTag } from '../database/json-rows';
import { GuidanceHistory } from './guidance-engine';

/**
 * Guidance's port for a pupil's history (dependency inversion): guidance declares what it needs, the
 * module that keeps concerns and referrals (dsp/) implements it and hands it to
 * `GuidanceModule.register(...)`. Guidance itself reads no concern or referral table.
 */
/**
 * What of a pupil's history a reader may count: records made by `organisationId`, and those made up to
 * `until` (null: only its own). For an organisation the pupil has left (AccessPolicy's retained scope).
 */
export interface HistoryScope {
  organisationId: string;
  until: Date | null;
}

export interface PupilHistoryReader {
  /**
   * The pupil's other concerns and MASH referrals with their outcomes, in a fixed number of queries
   * inside the caller's transaction; `concernId` (the concern being evaluated, null for a draft) is
   * left out of its own history. With `scope`, only what it admits (an outcome made later reads as
   * none yet).
   */
  historyOf(
    manager: EntityManager,
    pupilId: string,
    concernId: string | null,
    scope?: HistoryScope,
  ): Promise<GuidanceHistory>;

  /**
   * `historyOf` in two halves, for a caller that reads the history with other rows in one statement
   * (GuidanceService reads it with the directory and thresholds): its `UNION ALL` branches
   * (database/json-rows.ts) with the parameters they read by, and the history of their rows.
   */
  historyBranches(
    manager: EntityManager,
    pupilId: string,
    scope?: HistoryScope,
  ): { branches: JsonRowBranch[]; parameters: Record<string, unknown> };
  historyFrom(
    manager: EntityManager,
    rowsOf: RowsOfTag,
    concernId: string | null,
    scope?: HistoryScope,
  ): GuidanceHistory;

  /** The pupil's flags (PupilFlag codes such as `looked_after`), in one query. */
  flagsOf(manager: EntityManager, pupilId: string): Promise<string[]>;

  /**
   * `flagsOf` in two halves, for a caller that reads the pupil's row with something else in the same
   * statement (AccessPolicy.chronologyScopeWithPupil): the query of the one pupil (aliased `pupil`),
   * and the flags of the row it loads.
   */
  pupilQuery(manager: EntityManager, pupilId: string): SelectQueryBuilder<ObjectLiteral>;
  flagsOfRow(pupil: ObjectLiteral): string[];
}

export const PUPIL_HISTORY_READER = Symbol('PUPIL_HISTORY_READER');
