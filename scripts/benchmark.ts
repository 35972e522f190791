/**
 * `npm run bench`: issue 9's routes over real HTTP against the built app running as a child process,
 * each beside the bare route (`GET /health/live`: no session, no database) in the same window, with
 * 10 and 50 concurrent keep-alive clients (autocannon). Prints p50, p95, p99, requests a second and the
 * ratio to the bare route; cold start on an empty and on the measured database (and a bare Node server),
 * the server's memory, the database's size, the bare route while an LA lead keeps opening the referral
 * balance, and audited concern creations (then the audit chain is verified). Figures, not assertions.
 *
 *   npm run bench                                   # a throwaway SQLite database with the demo seed
 *   npm run bench -- --engine postgres              # the same on a throwaway PostgreSQL database
 *   npm run bench -- --database sqlite:/data/la.sqlite [--write]   # a generated database (npm run la:generate)
 *
 * Options: --clients 10,50  --duration 5 (seconds a measurement)  --only name,name  --json file
 *          --bare-clients n (clients on the bare route beside each route; default as many as the route's;
 *          0 measures each route alone against the bare route measured alone first)
 *          --no-cold (skip the cold starts)  --no-write / --write (concern creations; off for --database
 *          unless --write, since they add rows to it)  --workers n (the app's WEB_WORKERS; PostgreSQL only
 *          above 1)  --port n (the app's port, the bare Node server's n + 1; default free ones).
 * A given --database is never written to by the bench, except by the concern creations when --write is
 * given; the app itself still records what it always records (audit entries of the reads, sign-ins).
 * Throwaway databases (`sg_bench_*`) are made and dropped here.
 */
import 'reflect-metadata';
import { statSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { DataSource } from 'typeorm';
import { AuditEntry } from '../src/audit/audit-entry.entity';
import { verifyAuditChain } from '../src/audit/verify-audit-chain';
import { DatabaseTarget, parseDatabaseUrl } from '../src/config/database-url';
import { dataSourceOptions } from '../src/database/data-source-options';
import { fetchOnce, measureBareAlone, measureBeside, ms, rate, RouteRow, settle, HEADER } from './bench/beside';
import { DEFAULT_POSTGRES_URL, throwawayDatabase } from './bench/databases';
import { failures, load, LoadResult, Target } from './bench/load';
import {
  candidatePupils,
  concernCreation,
  DSP_RIVERSIDE,
  LA_LEAD,
  pupilNear,
  readRoutes,
  RouteSpec,
  selected,
  Subjects,
} from './bench/routes';
import { BARE_PATH, BENCH_AUDIT_KEY, RunningServer, startApp, startBareNode } from './bench/server';

interface Options {
  database?: string;
  engine: 'sqlite' | 'postgres';
  clients: number[];
  duration: number;
  only?: string[];
  json?: string;
  cold: boolean;
  write: boolean;
  /** Clients on the bare route beside each route; undefined: as many as the route's. 0: the route alone. */
  bareClients?: number;
  /** WEB_WORKERS for the app: its worker processes (PostgreSQL only above 1). */
  workers: number;
  /** The app's port (the bare Node server's is the next); undefined: free ones. */
  port?: number;
}

const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'demo-password';

function parseOptions(argv: string[]): Options {
  const value = (name: string) => {
    const at = argv.indexOf(`--${name}`);
    if (at < 0) return undefined;
    const next = argv[at + 1];
    if (next === undefined || next.startsWith('--')) throw new Error(`--${name} needs a value`);
    return next;
  };
  const known = [
    'database',
    'engine',
    'clients',
    'duration',
    'only',
    'json',
    'no-cold',
    'write',
    'no-write',
    'bare-clients',
    'workers',
    'port',
  ];
  const unknown = argv.filter((arg) => arg.startsWith('--') && !known.includes(arg.slice(2)));
  if (unknown.length) throw new Error(`Unknown option ${unknown.join(', ')}; see scripts/benchmark.ts`);
  const database = value('database');
  const engine = value('engine') ?? (database?.startsWith('postgres') ? 'postgres' : 'sqlite');
  if (engine !== 'sqlite' && engine !== 'postgres') throw new Error('--engine is sqlite or postgres');
  const clients = (value('clients') ?? '10,50').split(',').map(Number);
  if (clients.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--clients is a list like 10,50');
  const duration = Number(value('duration') ?? 5);
  if (!(duration > 0)) throw new Error('--duration is a number of seconds');
  const bareClients = value('bare-clients') === undefined ? undefined : Number(value('bare-clients'));
  if (bareClients !== undefined && !(Number.isInteger(bareClients) && bareClients >= 0))
    throw new Error('--bare-clients is a number of clients (0: measure each route alone)');
  const workers = Number(value('workers') ?? 1);
  if (!(Number.isInteger(workers) && workers >= 1 && workers <= 32))
    throw new Error('--workers is a number of worker processes, 1 to 32');
  if (workers > 1 && engine !== 'postgres') throw new Error('--workers above 1 needs --engine postgres (WEB_WORKERS)');
  const port = value('port') === undefined ? undefined : Number(value('port'));
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65535))
    throw new Error('--port is a port number');
  return {
    database,
    engine,
    clients,
    duration,
    only: value('only')?.split(','),
    json: value('json'),
    cold: !argv.includes('--no-cold'),
    write: argv.includes('--write') || (!database && !argv.includes('--no-write')),
    bareClients,
    workers,
    port,
  };
}

async function databaseSizeMb(target: DatabaseTarget, dataSource: DataSource): Promise<number> {
  if (target.kind === 'sqlite') {
    const size = (suffix: string) => {
      try {
        return statSync(target.path + suffix).size;
      } catch {
        return 0;
      }
    };
    return (size('') + size('-wal')) / 1024 / 1024;
  }
  const [row]: Array<{ size: string }> = await dataSource.query('SELECT pg_database_size(current_database()) AS size');
  return Number(row.size) / 1024 / 1024;
}

async function signIn(port: number, email: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: DEMO_PASSWORD }),
  });
  const body = (await response.json()) as { accessToken?: string };
  if (response.status !== 200 || !body.accessToken)
    throw new Error(`Signing in as ${email} answered ${response.status}: ${JSON.stringify(body)}`);
  return body.accessToken;
}

class Bench {
  private readonly tokens = new Map<string, string>();
  /** The bare route measured alone with n clients at the start, for `--bare-clients 0`. */
  readonly bareAloneAt: Record<number, LoadResult> = {};

  constructor(
    private readonly server: RunningServer,
    private readonly options: Options,
  ) {}

  private get bare(): Target {
    return { path: BARE_PATH };
  }

  async as(route: RouteSpec): Promise<Target> {
    let token = this.tokens.get(route.account);
    if (!token) {
      token = await signIn(this.server.port, route.account);
      this.tokens.set(route.account, token);
    }
    return { ...route.target, headers: { authorization: `Bearer ${token}`, ...route.target.headers } };
  }

  /** The route with `clients` clients and the bare route with as many, in the same window. */
  async measure(route: RouteSpec, clients: number): Promise<RouteRow | null> {
    return measureBeside({
      port: this.server.port,
      name: route.name,
      label: route.label,
      target: await this.as(route),
      clients,
      seconds: this.options.duration,
      bareClients: this.options.bareClients ?? clients,
      bareAlone: this.bareAloneAt[clients],
    });
  }

  async bareAlone(clients: number): Promise<LoadResult> {
    const result = await measureBareAlone(this.server.port, clients, this.options.duration);
    this.bareAloneAt[clients] = result;
    return result;
  }

  /** The bare route with 10 clients alone, then while an LA lead keeps opening the referral balance. */
  async heavyBeside(): Promise<{ alone: LoadResult; beside: LoadResult; report: LoadResult } | null> {
    const report = await this.as({
      name: 'referral-balance-api',
      label: '',
      account: LA_LEAD,
      target: { path: '/api/reports/referral-balance' },
    });
    const check = await fetchOnce(this.server.port, report);
    if (check.status !== 200) {
      console.log(`Heavy report beside: skipped, the referral balance answered ${check.status}`);
      return null;
    }
    const clients = 10;
    const alone = await load(this.server.port, this.bare, clients, this.options.duration);
    await settle(this.server.port);
    const [beside, reportLoad] = await Promise.all([
      load(this.server.port, this.bare, clients, this.options.duration),
      load(this.server.port, report, 1, this.options.duration),
    ]);
    await settle(this.server.port);
    console.log(
      `\nBare route, ${clients} clients, alone: p95 ${ms(alone.p95)} ms, ${rate(alone.rps)} a second; ` +
        `while the LA lead keeps opening the referral balance: p95 ${ms(beside.p95)} ms, ${rate(beside.rps)} a second ` +
        `(the report: ${reportLoad.count} answers, p50 ${ms(reportLoad.p50)} ms, p95 ${ms(reportLoad.p95)} ms)`,
    );
    return { alone, beside, report: reportLoad };
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const postgresServer = options.database?.startsWith('postgres')
    ? options.database
    : (process.env.BENCH_POSTGRES_URL ?? DEFAULT_POSTGRES_URL);
  const report: Record<string, unknown> = {
    at: new Date().toISOString(),
    engine: options.engine,
    database: options.database ?? 'throwaway, demo seed',
    loadGenerator: 'autocannon (closed loop, keep-alive connections)',
    cores: availableParallelism(),
    loadAverage: loadavg()[0],
    node: process.version,
    clients: options.clients,
    durationSeconds: options.duration,
    bareClientsBeside: options.bareClients ?? 'as many as the route',
    workers: options.workers,
  };
  console.log(
    `Engine ${options.engine}; database ${options.database ?? 'a throwaway one with the demo seed'}; ` +
      `${options.duration} s a measurement; load average ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores; ` +
      `autocannon, keep-alive connections; ${options.workers} app worker process${options.workers > 1 ? 'es' : ''}`,
  );

  const app = { workers: options.workers, port: options.port };
  const throwaways: Array<() => Promise<void>> = [];
  let server: RunningServer | undefined;
  let dataSource: DataSource | undefined;
  try {
    const coldStart: Record<string, number> = {};
    if (options.cold) {
      const bareNode = await startBareNode(options.port === undefined ? undefined : options.port + 1);
      coldStart.bareNode = bareNode.coldStartMs;
      await bareNode.stop();
      const empty = await throwawayDatabase(options.engine, postgresServer);
      throwaways.push(empty.drop);
      const first = await startApp({ databaseUrl: empty.url, seedDemo: false, demoPassword: DEMO_PASSWORD, ...app });
      coldStart.newDatabaseWithMigrations = first.coldStartMs;
      await first.stop();
      const again = await startApp({ databaseUrl: empty.url, seedDemo: false, demoPassword: DEMO_PASSWORD, ...app });
      coldStart.emptyDatabase = again.coldStartMs;
      report.emptyDatabaseMemory = again.memory();
      await again.stop();
    }

    let databaseUrl = options.database;
    if (!databaseUrl) {
      const demo = await throwawayDatabase(options.engine, postgresServer);
      throwaways.push(demo.drop);
      databaseUrl = demo.url;
      const seeding = await startApp({ databaseUrl, seedDemo: true, demoPassword: DEMO_PASSWORD, ...app });
      coldStart.firstStartSeedingDemo = seeding.coldStartMs;
      await seeding.stop();
    }
    server = await startApp({ databaseUrl, seedDemo: false, demoPassword: DEMO_PASSWORD, ...app });
    coldStart.measuredDatabase = server.coldStartMs;
    const idleMemory = server.memory();
    report.coldStartMs = coldStart;

    const target = parseDatabaseUrl(databaseUrl);
    dataSource = await new DataSource(dataSourceOptions(target, [AuditEntry])).initialize();
    const sizeMb = await databaseSizeMb(target, dataSource);
    report.databaseSizeMb = sizeMb;
    const [counts]: Array<Record<string, string | number>> = await dataSource.query(
      `SELECT (SELECT COUNT(*) FROM organisations) AS "organisations", (SELECT COUNT(*) FROM pupils) AS "pupils",
              (SELECT COUNT(*) FROM concerns) AS "concerns", (SELECT COUNT(*) FROM escalations) AS "referrals",
              (SELECT COUNT(*) FROM audit_entries) AS "auditEntries"`,
    );
    report.databaseRows = counts;
    console.log(
      `\nDatabase: ${sizeMb.toFixed(1)} MB; ` +
        Object.entries(counts)
          .map(([key, value]) => `${Number(value).toLocaleString('en-GB')} ${key}`)
          .join(', '),
    );
    if (options.cold)
      console.log(
        `Cold start, process spawn to the first answer of ${BARE_PATH}: bare Node server ${ms(coldStart.bareNode)} ms; ` +
          `new database (migrations) ${ms(coldStart.newDatabaseWithMigrations)} ms; empty database ` +
          `${ms(coldStart.emptyDatabase)} ms; this database ${ms(coldStart.measuredDatabase)} ms` +
          (coldStart.firstStartSeedingDemo
            ? ` (its first start, seeding the demo: ${ms(coldStart.firstStartSeedingDemo)} ms)`
            : ''),
      );
    else console.log(`Cold start on this database: ${ms(coldStart.measuredDatabase)} ms`);
    console.log(
      `Server memory after start: ${idleMemory ? `${idleMemory.rssMb.toFixed(0)} MB resident` : 'not readable'}`,
    );

    const bench = new Bench(server, options);
    const port = server.port;
    const candidates = await candidatePupils(dataSource);
    const countEntries = async (candidate: { pupilId: string; account: string }) => {
      const { json } = await fetchOnce(
        port,
        await bench.as({
          name: '',
          label: '',
          account: candidate.account,
          target: { path: `/api/pupils/${candidate.pupilId}/chronology` },
        }),
      );
      const body = json as { entries?: unknown[]; total?: number } | null;
      return body?.total ?? body?.entries?.length ?? 0;
    };
    const wanted = (name: string) => selected(name, options.only);
    const subjects: Subjects = {
      chronology20: wanted('chronology-20') ? await pupilNear(candidates, 20, countEntries) : null,
      chronology200: wanted('chronology-page-200') ? await pupilNear(candidates, 200, countEntries) : null,
      chronology1000: wanted('chronology-1000') ? await pupilNear(candidates, 1000, countEntries) : null,
    };

    const rows: RouteRow[] = [];
    console.log(
      options.bareClients === 0
        ? `\nEach route alone with n clients for ${options.duration} s; × bare = route req/s ÷ the bare route's ` +
            `(${BARE_PATH}) alone with n clients, measured first; KB = one answer.\n`
        : `\nEach route with n clients beside the bare route (${BARE_PATH}) with ` +
            `${options.bareClients ?? 'n'} clients, in the same ${options.duration}-second window; ` +
            `× bare = route req/s ÷ bare req/s beside it; KB = one answer.\n`,
    );
    console.log(HEADER);
    const bareAlone: Record<number, LoadResult> = {};
    for (const clients of options.clients) bareAlone[clients] = await bench.bareAlone(clients);
    report.bareAlone = bareAlone;
    for (const route of readRoutes(subjects).filter((spec) => wanted(spec.name))) {
      for (const clients of options.clients) {
        const row = await bench.measure(route, clients);
        if (row) rows.push(row);
      }
    }
    report.routes = rows;

    if (wanted('heavy-beside')) report.heavyBeside = await bench.heavyBeside();
    report.memoryAfterReads = server.memory();

    if (wanted('post-concern') && options.write) {
      const riverside = candidates.filter((candidate) => candidate.account === DSP_RIVERSIDE).slice(0, 100);
      const creation = concernCreation(riverside.map((candidate) => candidate.pupilId));
      console.log(`\n${HEADER}`);
      const creations: RouteRow[] = [];
      for (const clients of options.clients) {
        const row = await bench.measure(creation, clients);
        if (row) creations.push(row);
      }
      const started = Date.now();
      const { checked, broken } = await verifyAuditChain(dataSource, { key: BENCH_AUDIT_KEY });
      const chain = broken
        ? `BROKEN at entry ${broken.seq}: ${broken.problem}`
        : `verifies (${checked.toLocaleString('en-GB')} entries, checked in ${((Date.now() - started) / 1000).toFixed(1)} s)`;
      for (const row of creations)
        console.log(`${row.clients} clients: ${rate(row.route.rps)} creations a second, ${failures(row.route)} failed`);
      console.log(`Audit chain after the creations: ${chain}`);
      report.creations = { rows: creations, auditChain: broken ? { broken } : { verified: checked } };
    } else if (wanted('post-concern')) {
      console.log('\nConcern creations skipped: they would write to the given database (add --write).');
    }

    const memory = server.memory();
    report.memoryAtEnd = memory;
    if (memory)
      console.log(
        `\nServer memory: ${idleMemory?.rssMb.toFixed(0)} MB resident after start, ${memory.rssMb.toFixed(0)} MB at ` +
          `the end, ${memory.peakRssMb.toFixed(0)} MB at most`,
      );
    if (options.json) {
      writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
      console.log(`Figures written to ${options.json}`);
    }
  } finally {
    await dataSource?.destroy();
    await server?.stop();
    for (const drop of throwaways) await drop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
