import { Injectable } from '@nestjs/common';
import { EntityManager, In } from 'typeorm';
import { ActionCompletion } from './action-completion.entity';
import { Action } from './action.entity';
import { ActionResponse, toActionResponse } from './action.mapper';

/**
 * The actions of one concern with their completions, for the concern's read (no access check or audit:
 * the concern's read has done both, in the same transaction). `cutOff`: a school that transferred the
 * pupil reads what was made up to the receipt, as for decisions.
 */
@Injectable()
export class ActionRecords {
  async forConcern(manager: EntityManager, concernId: string, cutOff: Date | null = null): Promise<ActionResponse[]> {
    const madeBy = (at: Date) => cutOff === null || at.getTime() <= cutOff.getTime();
    const actions = (
      await manager.getRepository(Action).find({ where: { concernId }, order: { setAt: 'ASC', id: 'ASC' } })
    ).filter((action) => madeBy(action.setAt));
    const completions = await this.completionsOf(
      manager,
      actions.map((a) => a.id),
    );
    const now = new Date();
    return actions.map((action) => {
      const completion = completions.get(action.id);
      return toActionResponse(action, completion && madeBy(completion.completedAt) ? completion : null, now);
    });
  }

  async completionsOf(manager: EntityManager, actionIds: string[]): Promise<Map<string, ActionCompletion>> {
    if (actionIds.length === 0) return new Map();
    const rows = await manager.getRepository(ActionCompletion).find({ where: { actionId: In(actionIds) } });
    return new Map(rows.map((row) => [row.actionId, row]));
  }
}
