/**
 * Prints how long the read models take as a pupil's history grows, on the engine DATABASE_URL
 * names (default: a throwaway SQLite file), then how many audited concern creations a second one app
 * instance takes from 10 and 50 concurrent clients on PostgreSQL (DATABASE_URL if it is PostgreSQL,
 * else BENCH_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/postgres; skipped with a message
 * when no server answers) and whether the audit chain verifies afterwards. Figures, not assertions.
 *
 *   npm run bench                       # reads on SQLite; concurrent writes on local PostgreSQL
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench   # both on PostgreSQL
 *
 * Every database it uses is a throwaway one (`sg_bench_*` on PostgreSQL), made and dropped here.
 */
import { rebuildConcernStates } from '../src/dsp/concern-states/concern-states';
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import { AccessPolicy } from '../src/access/access-policy';
import { AppModule } from '../src/app.module';
import { AuditEntry } from '../src/audit/audit-entry.entity';
import { verifyAuditChain } from '../src/audit/verify-audit-chain';
import { Actor } from '../src/common/actor';
import { newId } from '../src/common/ids';
import { loadConfig } from '../src/config/app-config';
import { ChronologyService } from '../src/chronology/chronology.service';
import { ConcernsService } from '../src/dsp/concerns/concerns.service';
import { Concern } from '../src/dsp/concerns/concern.entity';
import { ConcernDecision } from '../src/dsp/concerns/concern-decision.entity';
import { Escalation } from '../src/dsp/escalations/escalation.entity';
import { projectReferralStates } from '../src/dsp/escalations/referral-state-projection';
import { InboxService } from '../src/local-authority/inbox.service';
import { OrganisationsService } from '../src/organisations/organisations.service';
import { Pupil } from '../src/school/pupil.entity';

const SIZES = [1, 100, 1000];
const RUNS = 20;

const WRITES = Number(process.env.BENCH_WRITES ?? 2000);
const CLIENTS = [10, 50];
const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function throwawayDatabase(
  base = process.env.DATABASE_URL ?? '',
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sg_bench_${randomBytes(4).toString('hex')}`;
  if (base.startsWith('postgres')) {
    const admin = new Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(base);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      drop: async () => {
        const client = new Client({ connectionString: base });
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await client.end();
      },
    };
  }
  const file = join(tmpdir(), `${name}.sqlite`);
  return {
    url: `sqlite:${file}`,
    drop: () => Promise.resolve(['', '-wal', '-shm'].forEach((s) => rmSync(file + s, { force: true }))),
  };
}

async function time(label: string, work: () => Promise<unknown>): Promise<void> {
  await work(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = process.hrtime.bigint();
    await work();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const median = samples[Math.floor(samples.length / 2)];
  const p95 = samples[Math.floor(samples.length * 0.95) - 1];
  console.log(`${label.padEnd(48)} median ${median.toFixed(1).padStart(7)} ms   p95 ${p95.toFixed(1).padStart(7)} ms`);
}

/** Gives a pupil `n` concerns, each with a decision and a MASH referral, written in bulk. */
async function growHistory(manager: EntityManager, pupil: Pupil, dsp: Actor, n: number): Promise<void> {
  const concerns: Concern[] = [];
  const decisions: ConcernDecision[] = [];
  const escalations: Escalation[] = [];
  const who = (prefix: string) => ({
    [`${prefix}UserId`]: dsp.userId,
    [`${prefix}Name`]: dsp.name,
    [`${prefix}Role`]: dsp.role,
    [`${prefix}OrganisationId`]: dsp.organisationId,
  });
  for (let i = 0; i < n; i += 1) {
    const at = new Date(Date.now() - (n - i) * 3600_000);
    const concern = {
      id: newId(),
      pupilId: pupil.id,
      organisationId: dsp.organisationId,
      ...who('recordedBy'),
      recordedAt: at,
      occurredAt: at,
      category: 'wellbeing',
      issues: ['attendance'],
      indicators: [],
      context: null,
      summary: `Concern ${i}`,
      childsWords: null,
      childsWordsLanguage: null,
      evidenceBasis: 'observed',
      actionTaken: null,
      bodyMap: null,
      correctsConcernId: null,
    } as unknown as Concern;
    concerns.push(concern);
    decisions.push({
      id: newId(),
      concernId: concern.id,
      outcome: 'mash',
      rationale: 'r',
      ...who('decidedBy'),
      decidedAt: at,
    } as unknown as ConcernDecision);
    escalations.push({
      id: newId(),
      concernId: concern.id,
      pupilId: pupil.id,
      organisationId: dsp.organisationId,
      localAuthorityId: dsp.localAuthorityId,
      route: 'mash',
      reasonForRoute: 'because the pattern keeps repeating',
      againstRecommendation: true,
      recommendedLevel: 3,
      recommendedRoute: 'early_help',
      consent: { sought: true, given: true, givenBy: 'Parent' },
      referral: {},
      ...who('sentBy'),
      sentAt: at,
      dueBy: at,
      redirectedFromId: null,
    } as unknown as Escalation);
  }
  for (let i = 0; i < n; i += 100) {
    await manager.getRepository(Concern).insert(concerns.slice(i, i + 100));
    await manager.getRepository(ConcernDecision).insert(decisions.slice(i, i + 100));
    await manager.getRepository(Escalation).insert(escalations.slice(i, i + 100));
  }
  await rebuildConcernStates(manager);
  await projectReferralStates(
    manager,
    escalations.map((e) => e.id),
  );
}

async function bootApp(url: string) {
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: url,
    SEED_DEMO: 'true',
    JWT_SECRET: 'benchmark-secret-benchmark-secret-xx',
  });
  const app = await NestFactory.createApplicationContext(AppModule.register(config), { logger: ['error'] });
  const organisations = app.get(OrganisationsService);
  const user = async (email: string) =>
    (await organisations.primaryActorOf((await organisations.findUserByEmail(email))!.id))!;
  return { app, config, user };
}

/**
 * `clients` callers share `total` concern creations through the real ConcernsService (in process, so
 * no HTTP or sign-in cost): each one a transaction with its access checks, the concern, its audit
 * entry and the guidance queries. Then the whole audit chain is verified.
 */
async function concurrentCreations(url: string, engine: string): Promise<void> {
  const { app, user } = await bootApp(url);
  try {
    const dataSource = app.get(DataSource);
    const concerns = app.get(ConcernsService);
    const dsp = await user('dsp@riverside.example');
    const pupils = await dataSource.getRepository(Pupil).find({ select: { id: true } });
    const visible: string[] = [];
    for (const pupil of pupils) {
      if (visible.length >= 100) break;
      try {
        await app.get(AccessPolicy).assertPupilVisible(dsp, pupil.id, dataSource.manager);
        visible.push(pupil.id);
      } catch {
        // another school's pupil
      }
    }
    const create = (i: number) =>
      concerns.record(dsp, {
        pupilId: visible[i % visible.length],
        occurredAt: new Date(Date.now() - 3600_000).toISOString(),
        category: 'wellbeing',
        issues: ['attendance'],
        summary: `Benchmark concern ${i}`,
        evidenceBasis: 'observed',
      });
    await Promise.all(Array.from({ length: 10 }, (_, i) => create(i))); // warm-up, opening the pool
    console.log(
      `\nConcurrent audited concern creations, ${engine}, through ConcernsService in process ` +
        `(load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores)`,
    );
    for (const clients of CLIENTS) {
      let next = 0;
      let errors = 0;
      let firstError = '';
      const cpuBefore = process.cpuUsage();
      const databaseBefore = await databaseCpu(dataSource);
      const start = process.hrtime.bigint();
      await Promise.all(
        Array.from({ length: clients }, async () => {
          while (next < WRITES) {
            const i = next++;
            try {
              await create(i);
            } catch (error) {
              errors += 1;
              firstError ||= (error as Error).message;
            }
          }
        }),
      );
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      const cpu = process.cpuUsage(cpuBefore);
      const databaseAfter = await databaseCpu(dataSource);
      let databaseMs: number | null = null;
      if (databaseBefore && databaseAfter) {
        databaseMs = 0;
        for (const [pid, ms] of databaseAfter) databaseMs += ms - (databaseBefore.get(pid) ?? 0);
      }
      const { checked, broken } = await verifyAuditChain(dataSource);
      const rows = await dataSource.getRepository(AuditEntry).count();
      const chain = broken ? `BROKEN at ${broken.seq}: ${broken.problem}` : `verifies (${checked} entries)`;
      console.log(
        `${String(clients).padStart(3)} clients: ${WRITES} creations in ${seconds.toFixed(1)} s = ` +
          `${((WRITES - errors) / seconds).toFixed(0)} a second; errors ${errors}; chain ${chain}; ` +
          `CPU a creation: app ${((cpu.user + cpu.system) / 1000 / WRITES).toFixed(2)} ms, database ` +
          (databaseMs === null ? 'not measured' : `${(databaseMs / WRITES).toFixed(2)} ms`) +
          (checked === rows ? '' : `; ${rows} rows but ${checked} chained`) +
          (firstError ? `\n    first error: ${firstError}` : ''),
      );
    }
  } finally {
    await app.close();
  }
}

/**
 * CPU time (ms) of this database's PostgreSQL backends, by pid, from /proc: only when the server runs
 * on this machine and its processes are readable (null otherwise). Clock ticks are taken as 100 Hz.
 */
async function databaseCpu(dataSource: DataSource): Promise<Map<number, number> | null> {
  if (dataSource.options.type !== 'postgres') return null;
  const backends: Array<{ pid: number }> = await dataSource.query(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database()',
  );
  const cpu = new Map<number, number>();
  try {
    for (const { pid } of backends) {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      cpu.set(pid, (Number(fields[11]) + Number(fields[12])) * 10); // utime + stime
    }
  } catch {
    return null;
  }
  return cpu;
}

async function postgresReachable(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  if (process.env.BENCH_ONLY !== 'writes') await readModels();
  const base = process.env.DATABASE_URL?.startsWith('postgres')
    ? process.env.DATABASE_URL
    : (process.env.BENCH_POSTGRES_URL ?? DEFAULT_POSTGRES_URL);
  if (!(await postgresReachable(base))) {
    console.log(`\nConcurrent audited creations skipped: no PostgreSQL answers at ${base}`);
    return;
  }
  const database = await throwawayDatabase(base);
  try {
    await concurrentCreations(database.url, 'postgres');
  } finally {
    await database.drop();
  }
}

async function readModels(): Promise<void> {
  const database = await throwawayDatabase();
  const { app, config, user } = await bootApp(database.url);
  try {
    const dataSource = app.get(DataSource);
    const dsp = await user('dsp@riverside.example');
    const mash = await user('mash@cardiff.example');
    const pupils = await dataSource.getRepository(Pupil).find({ where: { lastName: 'Okafor' } });
    console.log(`Engine: ${config.database.kind}; ${RUNS} runs each after a warm-up\n`);
    let grown = 0;
    for (const size of SIZES) {
      await growHistory(dataSource.manager, pupils[0], dsp, size - grown);
      grown = size;
      await time(`chronology, pupil with ${size} concerns`, () =>
        app.get(ChronologyService).forPupil(dsp, pupils[0].id),
      );
      await time(`DSP concern list (organisation, ${size}+ concerns)`, () =>
        app.get(ConcernsService).listForOrganisation(dsp),
      );
      await time(`MASH inbox (${size}+ referrals)`, () => app.get(InboxService).page(mash));
    }
  } finally {
    await app.close();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
