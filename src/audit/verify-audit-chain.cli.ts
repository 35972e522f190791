import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config';
import { dataSourceOptions } from '../database/data-source-options';
import { checkpointDatabaseName, readCheckpoints } from './audit-checkpoints';
import { AuditEntry } from './audit-entry.entity';
import { UNCHAINED_BOUND_MS, verifyAuditChain } from './verify-audit-chain';

/**
 * `npm run audit:verify [-- --checkpoints <file>]`: checks the chain with the key (AUDIT_KEY) and against
 * the checkpoints (AUDIT_CHECKPOINT_FILE, or a copy shipped off the machine). Exits 0 when the chain is
 * whole, agrees with every checkpoint and every committed entry is on it (or has waited for it less
 * than the bound); 1 naming every broken entry or range otherwise; 2 when it could not run.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { checkpoints: { type: 'string' } } });
  const config = loadConfig();
  const checkpointFile = values.checkpoints ?? config.audit.checkpointFile;
  const database = checkpointDatabaseName(config.database);
  const file = await readCheckpoints(checkpointFile, database);
  const dataSource = await new DataSource(dataSourceOptions(config.database, [AuditEntry])).initialize();
  try {
    const result = await verifyAuditChain(dataSource, {
      key: config.audit.key,
      checkpoints: file.checkpoints,
      unreadable: file.unreadable,
    });
    const { checked, broken, problems, head, unchained, overdue } = result;
    const against = file.checkpoints.length
      ? `${file.checkpoints.length} checkpoints in ${checkpointFile} (the newest at entry ${result.lastCheckpoint!.seq}, ${result.lastCheckpoint!.at})`
      : `no checkpoints of ${database} in ${checkpointFile}${file.exists ? '' : ' (no such file)'}`;
    if (problems.length) {
      if (broken)
        console.error(
          `Audit chain BROKEN at entry ${broken.seq} (id ${broken.id}): ${broken.problem}. ${checked} entries before it are intact.`,
        );
      else console.error(`Audit chain FAILS its checkpoints (${head ? `head at entry ${head.seq}` : 'no entries'}).`);
      console.error(`Checked against ${against}. Problems:`);
      for (const { from, to, problem } of problems) {
        const where = from === 0 ? 'file' : from === to ? `entry ${from}` : `entries ${from}-${to}`;
        console.error(`  - ${where}: ${problem}`);
      }
      if (result.moreProblems) console.error(`  - and ${result.moreProblems} more ranges`);
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
      `Audit chain intact: ${checked} entries verified with the key` +
        (result.legacy
          ? ` (the first ${result.legacy} from before the key, anchored by entry ${result.legacy + 1})`
          : '') +
        `, against ${against}` +
        (unchained ? `; ${unchained} just committed, waiting for the chain.` : '.'),
    );
    if (!file.checkpoints.length && head)
      console.log(
        'WARNING: without checkpoints, entries removed from the end (or all of them) cannot be noticed; ' +
          'the app writes one a minute while it runs and at shutdown.',
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
