import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { Pupil } from './pupil.entity';

/** What other modules may read of a pupil once they have decided the reader may see it. */
export type PupilNames = Pick<Pupil, 'id' | 'upn' | 'firstName' | 'lastName' | 'dateOfBirth' | 'yearGroup'>;

/**
 * The roll's reader for other modules (exported by SchoolModule): pupils by id inside the caller's
 * transaction. It does not check access: callers have already loaded the records naming these pupils
 * through the access policy.
 */
@Injectable()
export class PupilRepository {
  /** Pupils by id, in one query (none for no ids). */
  async byIds(manager: EntityManager, pupilIds: string[]): Promise<Map<string, PupilNames>> {
    if (pupilIds.length === 0) return new Map();
    const pupils = await manager.getRepository(Pupil).find({ where: { id: In([...new Set(pupilIds)]) } });
    return new Map(pupils.map((p) => [p.id, p]));
  }

  /** One pupil by id, in one query; a missing pupil is a bug in the caller (the records name it). */
  byId(manager: EntityManager, pupilId: string): Promise<PupilNames> {
    return manager.getRepository(Pupil).findOneOrFail({ where: { id: pupilId } });
  }
}
