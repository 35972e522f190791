/**
 * `npm run bench:floor`: what this machine and this stack (NestJS on Express, passport-jwt, TypeORM,
 * sqlite3 or pg) can do at most, so that issue 9's goals can be told apart: reachable by more work on
 * the app, or beyond the machine. A minimal Nest app (scripts/bench/floor-app.ts) runs as a child
 * process with the real app's production settings on a throwaway database, and each of its routes is
 * measured beside its bare route exactly as `npm run bench` measures the app's (scripts/bench/beside.ts):
 * n clients on the route and n on `GET /health/live` in the same window, p50/p95/p99, requests a second
 * and the ratio to the bare route. Figures, not assertions.
 *
 *   npm run bench:floor                        # SQLite (a file under the temporary directory)
 *   npm run bench:floor -- --engine postgres   # a throwaway `sg_floor_*` database (BENCH_POSTGRES_URL)
 *
 * Options: --clients 10,50  --duration 5 (seconds a measurement)  --only name,name (node-http, nest-json,
 *          jwt, select-1, select-3, select-8, insert-1, transaction-7)  --json file
 *          --bare-clients n (clients on the bare route beside each route; default as many as the route's;
 *          0 measures each route alone against the bare route measured alone first, as `npm run bench`)
 *          --port n (the floor app's port, the plain Node server's n + 1; default free ones).
 */
import 'reflect-metadata';
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { HEADER, measureBareAlone, measureBeside, RouteRow } from './bench/beside';
import { DEFAULT_POSTGRES_URL, throwawayDatabase } from './bench/databases';
import { FLOOR_ROUTES, FloorRoute, parseFloorOptions } from './bench/floor-options';
import { LoadResult, Target } from './bench/load';
import {
  appEnvironment,
  BARE_PATH,
  freePort,
  PROJECT_ROOT,
  RunningServer,
  startBareNode,
  startProcess,
} from './bench/server';

/** An HS256 token for the floor's guard, signed with the secret the floor app was given. */
function signToken(secret: string, userId: string): string {
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: userId, iat: now, exp: now + 3600 })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

const post = (path: string): Target => ({
  method: 'POST',
  path,
  body: (n) => ({ label: `Floor write ${n}: about the size of a short concern's summary`, n }),
});

/** Each route's label and request; `node-http` is served by the plain Node server. */
const ROUTES: Record<FloorRoute, { label: string; target: Target; guarded: boolean }> = {
  'node-http': { label: '(a′) plain node:http, another process', target: { path: BARE_PATH }, guarded: false },
  'nest-json': { label: '(b) Nest route, small JSON', target: { path: '/floor/json' }, guarded: false },
  jwt: { label: '(c) (b) + passport-jwt guard', target: { path: '/floor/jwt' }, guarded: true },
  'select-1': { label: '(d) (c) + 1 SELECT by primary key', target: { path: '/floor/select/1' }, guarded: true },
  'select-3': { label: '(e) (c) + 3 sequential SELECTs by key', target: { path: '/floor/select/3' }, guarded: true },
  'select-8': { label: '(e) (c) + 8 sequential SELECTs by key', target: { path: '/floor/select/8' }, guarded: true },
  'insert-1': { label: '(f) (c) + BEGIN, 1 INSERT, COMMIT (POST)', target: post('/floor/insert'), guarded: true },
  'transaction-7': {
    label: '(g) (c) + 7-statement transaction (POST)',
    target: post('/floor/transaction'),
    guarded: true,
  },
};

async function main(): Promise<void> {
  const options = parseFloorOptions(process.argv.slice(2));
  const wanted = FLOOR_ROUTES.filter((name) => !options.only || options.only.some((word) => name.includes(word)));
  const load1 = loadavg()[0];
  const report: Record<string, unknown> = {
    at: new Date().toISOString(),
    engine: options.engine,
    loadGenerator: 'autocannon (closed loop, keep-alive connections)',
    cores: availableParallelism(),
    loadAverageAtStart: loadavg(),
    node: process.version,
    clients: options.clients,
    durationSeconds: options.duration,
    bareClientsBeside: options.bareClients ?? 'as many as the route',
  };
  console.log(
    `Floor of the stack: engine ${options.engine}; ${options.duration} s a measurement; load average ` +
      `${loadavg()
        .map((value) => value.toFixed(1))
        .join(' ')} on ${availableParallelism()} cores; autocannon, keep-alive connections`,
  );

  const database = await throwawayDatabase(
    options.engine,
    process.env.BENCH_POSTGRES_URL ?? DEFAULT_POSTGRES_URL,
    'sg_floor',
  );
  let floor: RunningServer | undefined;
  let bareNode: RunningServer | undefined;
  try {
    const port = options.port ?? 0;
    const jwtSecret = randomBytes(32).toString('hex');
    const env = appEnvironment(
      { databaseUrl: database.url, seedDemo: false, demoPassword: 'unused-by-the-floor', workers: 1 },
      port || (await freePort()),
      jwtSecret,
    );
    const appPort = Number(env.PORT);
    floor = await startProcess([join(PROJECT_ROOT, 'dist', 'scripts', 'bench', 'floor-app.js')], env, appPort, 120_000);
    console.log(
      `Floor app: cold start ${floor.coldStartMs.toFixed(0)} ms, ${floor.memory()?.rssMb.toFixed(0)} MB resident`,
    );
    report.coldStartMs = floor.coldStartMs;
    if (wanted.includes('node-http')) {
      bareNode = await startBareNode(port ? port + 1 : undefined);
      console.log(`Plain node:http server: cold start ${bareNode.coldStartMs.toFixed(0)} ms`);
      report.bareNodeColdStartMs = bareNode.coldStartMs;
    }
    const authorization = `Bearer ${signToken(jwtSecret, randomUUID())}`;

    console.log(
      options.bareClients === 0
        ? `\nEach route alone with n clients for ${options.duration} s; × bare = route req/s ÷ the floor app's bare ` +
            `route's (${BARE_PATH}) alone with n clients, measured first.\n`
        : `\nEach route with n clients beside the floor app's bare route (${BARE_PATH}, as the app's) with ` +
            `${options.bareClients ?? 'n'} clients, in the same ${options.duration}-second window; ` +
            `× bare = route req/s ÷ bare req/s beside it.\n`,
    );
    console.log(HEADER);
    const bareAlone: Record<number, LoadResult> = {};
    for (const clients of options.clients)
      bareAlone[clients] = await measureBareAlone(appPort, clients, options.duration);
    report.bareAlone = bareAlone;
    const rows: RouteRow[] = [];
    for (const name of wanted) {
      const route = ROUTES[name];
      const target = route.guarded ? { ...route.target, headers: { authorization } } : route.target;
      for (const clients of options.clients) {
        const row = await measureBeside({
          port: appPort,
          routePort: name === 'node-http' ? bareNode!.port : undefined,
          name,
          label: route.label,
          target,
          clients,
          seconds: options.duration,
          bareClients: options.bareClients ?? clients,
          bareAlone: bareAlone[clients],
        });
        if (row) rows.push(row);
      }
    }
    report.routes = rows;
    report.loadAverageAtEnd = loadavg();
    report.memoryAtEnd = floor.memory();
    console.log(
      `\nLoad average ${load1.toFixed(1)} at the start, ${loadavg()
        .map((value) => value.toFixed(1))
        .join(' ')} at the end (1, 5, 15 minutes); floor app ${floor.memory()?.peakRssMb.toFixed(0)} MB at most`,
    );
    if (options.json) {
      writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
      console.log(`Figures written to ${options.json}`);
    }
  } finally {
    await bareNode?.stop();
    await floor?.stop();
    await database.drop();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
