import { DataSource } from 'typeorm';
import { ChainBreak, findChainBreak } from './audit-chain';
import { AuditEntry } from './audit-entry.entity';

const PAGE = 5000;

/** Reads the whole log in pages, in order, and returns the first entry that breaks the chain. */
export async function verifyAuditChain(
  dataSource: DataSource,
): Promise<{ checked: number; broken: ChainBreak | null }> {
  const repository = dataSource.getRepository(AuditEntry);
  let previous: { seq: number; hash: string } | undefined;
  let checked = 0;
  for (;;) {
    const qb = repository.createQueryBuilder('entry').orderBy('entry.seq', 'ASC').take(PAGE);
    if (previous) qb.where('entry.seq > :after', { after: previous.seq });
    const page = await qb.getMany();
    if (page.length === 0) return { checked, broken: null };
    const broken = findChainBreak(page, previous);
    if (broken) return { checked: checked + page.findIndex((entry) => entry.seq === broken.seq), broken };
    checked += page.length;
    const last = page[page.length - 1];
    previous = { seq: last.seq, hash: last.hash };
  }
}
