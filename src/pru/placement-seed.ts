import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Actor } from '../common/actor';
import { newId } from '../common/ids';
import { recordedBy } from '../common/recorded-by';
import { Placement, PlacementReason, PlacementType } from './placement.entity';

/**
 * The demo seed's way in (it inserts history directly, not through the services): a placement record
 * for a dual enrolment the seed has already made. Nothing else calls it.
 */
@Injectable()
export class PlacementSeed {
  async placed(
    manager: EntityManager,
    placement: {
      pupilId: string;
      pruId: string;
      homeOrganisationId: string;
      enrolmentId: string;
      type: PlacementType;
      reason: PlacementReason;
      reasonDetail: string | null;
      startOn: string;
      reviewOn: string | null;
      placedBy: Actor;
      placedAt: Date;
    },
  ): Promise<string> {
    const { placedBy, ...fields } = placement;
    const id = newId();
    await manager.getRepository(Placement).insert({ id, sequence: 1, ...fields, ...recordedBy('placedBy', placedBy) });
    return id;
  }
}
