import { DataSource } from 'typeorm';
import { ChainBreak, findChainBreak } from './audit-chain';
import { AuditEntry } from './audit-entry.entity';

const PAGE = 5000;

/**
 * How long an entry may wait, committed, for the chain (PostgreSQL's `audit_pending`) before the
 * check reports it: the chainer runs right after each commit and sweeps every second, so anything
 * older means chaining has stopped or fails.
 */
export const UNCHAINED_BOUND_MS = 60_000;

export interface AuditVerification {
  /** Entries on the chain checked before the first break (all of them when it is whole). */
  checked: number;
  /** The first chained entry that does not fit, if any. */
  broken: ChainBreak | null;
  /** Committed entries not yet on the chain (normally 0, or a few for a moment on PostgreSQL). */
  unchained: number;
  /** The oldest of them when it has waited longer than the bound: chaining is not keeping up or fails. */
  overdue: { id: string; at: string } | null;
}

/**
 * Reads the whole chain in pages, in order, and returns the first entry that breaks it; and checks
 * that every committed entry is on it, or has been waiting for it less than `boundMs` (an entry that
 * is in neither place cannot be told from one never made, so the chainer moves entries in one
 * transaction: pending or chained, never both or neither).
 */
export async function verifyAuditChain(
  dataSource: DataSource,
  { boundMs = UNCHAINED_BOUND_MS, now = new Date() } = {},
): Promise<AuditVerification> {
  const unchained = await waitingForChain(dataSource, now.getTime() - boundMs);
  const repository = dataSource.getRepository(AuditEntry);
  let previous: { seq: number; hash: string } | undefined;
  let checked = 0;
  for (;;) {
    const qb = repository.createQueryBuilder('entry').orderBy('entry.seq', 'ASC').take(PAGE);
    if (previous) qb.where('entry.seq > :after', { after: previous.seq });
    const page = await qb.getMany();
    if (page.length === 0) return { checked, broken: null, ...unchained };
    const broken = findChainBreak(page, previous);
    if (broken) return { checked: checked + page.findIndex((entry) => entry.seq === broken.seq), broken, ...unchained };
    checked += page.length;
    const last = page[page.length - 1];
    previous = { seq: last.seq, hash: last.hash };
  }
}

async function waitingForChain(
  dataSource: DataSource,
  overdueBefore: number,
): Promise<Pick<AuditVerification, 'unchained' | 'overdue'>> {
  const [{ count }]: Array<{ count: number | string }> = await dataSource.query(
    'SELECT COUNT(*) AS count FROM audit_pending',
  );
  if (Number(count) === 0) return { unchained: 0, overdue: null };
  const oldest: Array<{ id: string; at: string }> = await dataSource.query(
    'SELECT id, at FROM audit_pending ORDER BY at ASC LIMIT 1',
  );
  const overdue = oldest[0] && Date.parse(oldest[0].at) < overdueBefore ? oldest[0] : null;
  return { unchained: Number(count), overdue };
}
