import { EntityManager, In } from 'typeorm';
import { Concern } from './concern.entity';
import { AMENDABLE_FIELDS } from './concern-amendment.entity';
import { ConcernCurrent } from './concern-amendment.entity';

/**
 * Puts each corrected concern's current values (`concern_current`, one indexed query for any number of
 * concerns) in place of what was recorded, on the loaded objects themselves, so every read (the
 * concern, the lists, the chronology, the guidance) shows the current value. Only the fields the
 * objects were loaded with are replaced (the chronology loads a few). Returns the same objects.
 */
export async function withCurrentValues<T extends Partial<Concern> & { id: string }>(
  manager: EntityManager,
  concerns: T[],
): Promise<T[]> {
  if (concerns.length === 0) return concerns;
  const rows = await manager
    .getRepository(ConcernCurrent)
    .find({ where: { concernId: In([...new Set(concerns.map((concern) => concern.id))]) } });
  if (rows.length === 0) return concerns;
  const current = new Map(rows.map((row) => [row.concernId, row]));
  for (const concern of concerns) {
    const row = current.get(concern.id);
    if (!row) continue;
    for (const field of AMENDABLE_FIELDS) {
      if (field in concern) (concern as Record<string, unknown>)[field] = row[field];
    }
  }
  return concerns;
}
