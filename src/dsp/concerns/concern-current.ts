import { EntityManager, In } from 'typeorm';
import { Concern } from './concern.entity';
import { AMENDABLE_FIELDS } from './concern-amendment.entity';
import { ConcernAmendment, ConcernCurrent } from './concern-amendment.entity';
import { withValue } from './amendment-rules';

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
  return withCurrentValuesFrom(rows, concerns);
}

/** `withCurrentValues` with the `concern_current` rows already read (the chronology reads them with the rest). */
export function withCurrentValuesFrom<T extends Partial<Concern> & { id: string }>(
  rows: ConcernCurrent[],
  concerns: T[],
): T[] {
  if (rows.length === 0) return concerns;
  const current = new Map(rows.map((row) => [row.concernId, row]));
  for (const concern of concerns) applyCurrentValues(concern, current.get(concern.id));
  return concerns;
}

/**
 * What `withCurrentValues` does for one concern whose `concern_current` row (if it was corrected) was
 * read with it, e.g. by a join: the current values in place of the recorded ones. Returns the concern.
 */
export function applyCurrentValues<T extends Partial<Concern>>(
  concern: T,
  current: ConcernCurrent | null | undefined,
): T {
  if (!current) return concern;
  for (const field of AMENDABLE_FIELDS) {
    if (field in concern) (concern as Record<string, unknown>)[field] = current[field];
  }
  return concern;
}

/**
 * The concern's corrected fields as they stood at `until`, from its corrections (oldest first): each
 * field as the last correction made by then left it, or as recorded (the first correction's `previous`).
 * For a reader who keeps another organisation's records only up to a day (a school whose file was
 * received elsewhere): a correction made after it is not theirs to read. A copy; fields the object was
 * not loaded with stay out.
 */
export function asItStoodAt<T extends Partial<Concern>>(concern: T, amendments: ConcernAmendment[], until: Date): T {
  let result = concern;
  const corrected = new Set<string>();
  for (const amendment of amendments) {
    if (corrected.has(amendment.field)) continue;
    corrected.add(amendment.field);
    if (amendment.field in concern) result = withValue(result, amendment.field, amendment.previous);
  }
  for (const amendment of amendments)
    if (amendment.amendedAt.getTime() <= until.getTime() && amendment.field in concern)
      result = withValue(result, amendment.field, amendment.value);
  return result;
}

/**
 * `asItStoodAt` for loaded concerns in place (one indexed query for all of them), after
 * `withCurrentValues` put the current values there.
 */
export async function withValuesAsOf<T extends Partial<Concern> & { id: string }>(
  manager: EntityManager,
  concerns: T[],
  until: Date,
): Promise<void> {
  if (concerns.length === 0) return;
  const amendments = await manager.getRepository(ConcernAmendment).find({
    where: { concernId: In([...new Set(concerns.map((concern) => concern.id))]) },
    order: { amendedAt: 'ASC', id: 'ASC' },
  });
  if (amendments.length === 0) return;
  for (const concern of concerns) {
    const own = amendments.filter((amendment) => amendment.concernId === concern.id);
    if (own.length > 0) Object.assign(concern, asItStoodAt(concern, own, until));
  }
}
