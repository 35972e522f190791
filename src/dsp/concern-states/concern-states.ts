import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { concernStatesInsertSql } from '../../database/concern-states.sql';
import { EMERGENCY_INDICATORS } from '../../guidance/guidance-engine';

const isPostgres = (manager: EntityManager) => manager.connection.options.type === 'postgres';

/**
 * Rebuilds `concern_states` (the derived projection, concern-state.entity.ts) from the appended
 * records, in SQL on either engine: the migration's backfill, for a dataset generator that inserts
 * concerns, decisions, closures and referrals in bulk. Run it inside the transaction that inserted them.
 */
export async function rebuildConcernStates(manager: EntityManager): Promise<void> {
  await manager.query('DELETE FROM concern_states');
  await manager.query(concernStatesInsertSql(EMERGENCY_INDICATORS));
}

/**
 * Brings one concern's `concern_states` row up to date from its appended records (an upsert). Takes
 * the concern's row lock first on PostgreSQL (FOR NO KEY UPDATE, as every change to a concern does),
 * so two appends to one concern refresh it in turn and the second sees the first's record.
 */
export async function refreshConcernState(manager: EntityManager, concernId: string): Promise<void> {
  const postgres = isPostgres(manager);
  const param = postgres ? '$1' : '?1';
  if (postgres) await manager.query('SELECT id FROM concerns WHERE id = $1 FOR NO KEY UPDATE', [concernId]);
  await manager.query(concernStatesInsertSql(EMERGENCY_INDICATORS, param), [concernId]);
}

/**
 * The one way the app keeps `concern_states` true: every append that changes a concern's status or
 * current decision (a concern recorded, a decision, a closure, a referral sent by a DSP or by staff, the
 * early-help referral a MASH redirect creates) calls `changed` with the concern's id in the SAME
 * transaction, after inserting its record. The projection is derived, not a record: it is rewritten
 * in place, and `rebuildConcernStates` gives the same rows from scratch.
 */
@Injectable()
export class ConcernStateWriter {
  changed(manager: EntityManager, concernId: string): Promise<void> {
    return refreshConcernState(manager, concernId);
  }

  /**
   * `changed` for a concern inserted in this same transaction: the same upsert without the row lock,
   * which the insert already holds (no other transaction sees the concern before COMMIT).
   */
  async recorded(manager: EntityManager, concernId: string): Promise<void> {
    await manager.query(concernStatesInsertSql(EMERGENCY_INDICATORS, isPostgres(manager) ? '$1' : '?1'), [concernId]);
  }
}
