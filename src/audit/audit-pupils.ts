import { EntityManager } from 'typeorm';
import { Actor } from '../common/actor';

/**
 * Pupils' names for the audit log's readers. The log sits below the school module that owns pupils, so
 * it asks through this port, which the app module binds to school's implementation
 * (`AuditModule.register({ pupils: SchoolAuditPupils })`). Both answers follow the access policy: a
 * reader learns no name of a pupil they may not see (the LA lead sees none).
 */
export abstract class AuditPupils {
  /** `First Last` of those of `pupilIds` the reader may see now, in one query; the others are left out. */
  abstract namesFor(manager: EntityManager, actor: Actor, pupilIds: string[]): Promise<Map<string, string>>;

  /** Up to `limit` pupils the reader may see whose name contains `text` or whose UPN is `text`, by name. */
  abstract matching(
    manager: EntityManager,
    actor: Actor,
    text: string,
    limit: number,
  ): Promise<Array<{ id: string; name: string }>>;
}
