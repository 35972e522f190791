import { EntityManager } from 'typeorm';
import { Actor } from '../../common/actor';

/**
 * How attachments/ loads the concern a file belongs to through the access policy (404 for what the
 * caller may not see), without importing concerns/, which imports attachments/ for its read and page.
 * DspModule binds it to ConcernRepository.
 */
export interface VisibleConcerns {
  findVisible(
    manager: EntityManager,
    actor: Actor,
    concernId: string,
  ): Promise<{ id: string; pupilId: string; organisationId: string }>;
}

export const VISIBLE_CONCERNS = Symbol('VISIBLE_CONCERNS');
