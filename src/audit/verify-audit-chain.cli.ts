import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from '../database/data-source-options';
import { AuditEntry } from './audit-entry.entity';
import { UNCHAINED_BOUND_MS, verifyAuditChain } from './verify-audit-chain';

/**
 * `npm run audit:verify`: exits 0 when the chain is whole and every committed entry is on it (or has
 * waited for it less than the bound), 1 naming the first broken or overdue entry otherwise.
 */
async function main(): Promise<number> {
  const dataSource = await new DataSource(dataSourceOptions(loadConfig().database, [AuditEntry])).initialize();
  try {
    const { checked, broken, unchained, overdue } = await verifyAuditChain(dataSource);
    if (broken) {
      console.error(
        `Audit chain BROKEN at entry ${broken.seq} (id ${broken.id}): ${broken.problem}. ${checked} entries before it are intact.`,
      );
      return 1;
    }
    if (overdue) {
      console.error(
        `Audit chain intact (${checked} entries), but ${unchained} committed entries are not on it; the oldest ` +
          `(id ${overdue.id}, at ${overdue.at}) has waited longer than ${UNCHAINED_BOUND_MS / 1000} s: chaining has stopped or fails.`,
      );
      return 1;
    }
    console.log(
      `Audit chain intact: ${checked} entries verified` +
        (unchained ? `; ${unchained} just committed, waiting for the chain.` : '.'),
    );
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`Audit verification could not run: ${(error as Error).message}`);
    process.exit(2);
  },
);
