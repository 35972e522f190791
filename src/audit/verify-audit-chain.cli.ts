import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from '../database/data-source-options';
import { AuditEntry } from './audit-entry.entity';
import { verifyAuditChain } from './verify-audit-chain';

/** `npm run audit:verify`: exits 0 when the chain is whole, 1 naming the first broken entry otherwise. */
async function main(): Promise<number> {
  const dataSource = await new DataSource(dataSourceOptions(loadConfig().database, [AuditEntry])).initialize();
  try {
    const { checked, broken } = await verifyAuditChain(dataSource);
    if (broken) {
      console.error(
        `Audit chain BROKEN at entry ${broken.seq} (id ${broken.id}): ${broken.problem}. ${checked} entries before it are intact.`,
      );
      return 1;
    }
    console.log(`Audit chain intact: ${checked} entries verified.`);
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
