import { EntityManager } from 'typeorm';
import { Actor } from '../../common/actor';

/** What actions need of a concern. */
export interface ConcernOfAction {
  id: string;
  pupilId: string;
  organisationId: string;
}

/**
 * The concerns actions are set on, through a port so that actions/ does not import concerns/ (concerns/
 * shows a concern's actions): implemented by `ConcernRepository`, wired in DspModule.
 */
export interface ActionConcerns {
  /** A concern the actor may see (404 otherwise); `forUpdate` locks it until commit. */
  findVisible(
    manager: EntityManager,
    actor: Actor,
    concernId: string,
    options?: { forUpdate?: boolean },
  ): Promise<ConcernOfAction>;
  isClosed(manager: EntityManager, concernId: string): Promise<boolean>;
}

export const ACTION_CONCERNS = Symbol('ACTION_CONCERNS');
