/**
 * The benches' method: a route with n clients beside the bare route with as many, in the same window
 * (so a busy machine slows both alike), and the table row that reports it. Shared by `npm run bench`
 * (scripts/benchmark.ts) and `npm run bench:floor` (scripts/stack-floor.ts), so their figures compare.
 */
import { failures, load, LoadResult, Target } from './load';
import { BARE_PATH } from './server';
import { throughputRatio } from './statistics';

export interface RouteRow {
  name: string;
  label: string;
  clients: number;
  bytes: number;
  route: LoadResult;
  bare: LoadResult;
  ratio: number | null;
}

export const ms = (value: number | null) => (value === null ? '–' : value < 10 ? value.toFixed(1) : value.toFixed(0));
export const rate = (value: number) => (value < 10 ? value.toFixed(1) : value.toFixed(0));

export const HEADER =
  `${'route'.padEnd(52)} ${'clients'.padStart(7)} ${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ` +
  `${'p99 ms'.padStart(7)} ${'req/s'.padStart(7)} │ ${'bare/s'.padStart(7)} ${'bare p95'.padStart(8)} ` +
  `${'× bare'.padStart(7)} │ ${'failed'.padStart(6)} ${'KB'.padStart(7)}`;

export function printRow(row: RouteRow): void {
  console.log(
    `${row.label.slice(0, 52).padEnd(52)} ${String(row.clients).padStart(7)} ${ms(row.route.p50).padStart(7)} ` +
      `${ms(row.route.p95).padStart(7)} ${ms(row.route.p99).padStart(7)} ${rate(row.route.rps).padStart(7)} │ ` +
      `${rate(row.bare.rps).padStart(7)} ${ms(row.bare.p95).padStart(8)} ` +
      `${(row.ratio === null ? '–' : row.ratio.toFixed(2)).padStart(7)} │ ${failures(row.route).padStart(6)} ` +
      `${(row.bytes / 1024).toFixed(1).padStart(7)}`,
  );
}

/** One request, for a route's warm-up and check: its status, size and parsed JSON when it is JSON. */
export async function fetchOnce(
  port: number,
  target: Target,
  n = 0,
): Promise<{ status: number; bytes: number; json: unknown }> {
  const response = await fetch(`http://127.0.0.1:${port}${target.path}`, {
    method: target.method ?? 'GET',
    headers: { ...(target.body ? { 'content-type': 'application/json' } : {}), ...target.headers },
    body: target.body ? JSON.stringify(target.body(n)) : undefined,
  });
  const text = await response.text();
  let json: unknown = null;
  if ((response.headers.get('content-type') ?? '').includes('json')) json = JSON.parse(text);
  return { status: response.status, bytes: Buffer.byteLength(text), json };
}

/**
 * Lets the server finish what an ended measurement left in flight (autocannon stops waiting at the
 * end of its window, the server does not), so it does not count against the next one: one read that
 * queues behind the database work (`GET /health`, a `SELECT 1`).
 */
export async function settle(port: number): Promise<void> {
  await fetch(`http://127.0.0.1:${port}/health`).then((response) => response.text());
}

export interface Beside {
  /** The server with the bare route (and the route, unless `routePort` names another). */
  port: number;
  /** Where the measured route is served, when not on `port` (the floor's plain Node server). */
  routePort?: number;
  name: string;
  label: string;
  target: Target;
  clients: number;
  seconds: number;
  /** Clients on the bare route beside it; 0: none, `bareAlone` is the comparison instead. */
  bareClients: number;
  bareAlone?: LoadResult;
}

/**
 * Warms the route up (and skips it, saying so, when it does not answer 2xx), then measures it with n
 * clients beside the bare route, prints its row and returns it.
 */
export async function measureBeside(spec: Beside): Promise<RouteRow | null> {
  const routePort = spec.routePort ?? spec.port;
  const warm = await Promise.all(
    Array.from({ length: Math.min(spec.clients, 10) }, (_, i) => fetchOnce(routePort, spec.target, i)),
  );
  const bad = warm.find(({ status }) => status < 200 || status >= 300);
  if (bad) {
    console.log(`${spec.label.padEnd(52)} ${String(spec.clients).padStart(7)}   skipped: answered ${bad.status}`);
    return null;
  }
  const [measured, bare] = await Promise.all([
    load(routePort, spec.target, spec.clients, spec.seconds),
    spec.bareClients > 0
      ? load(spec.port, { path: BARE_PATH }, spec.bareClients, spec.seconds)
      : Promise.resolve(spec.bareAlone ?? Promise.reject(new Error('No bare route alone to compare with'))),
  ]);
  await settle(spec.port);
  if (routePort !== spec.port) await settle(routePort);
  const row: RouteRow = {
    name: spec.name,
    label: spec.label,
    clients: spec.clients,
    bytes: warm[0].bytes,
    route: measured,
    bare,
    ratio: throughputRatio(measured, bare),
  };
  printRow(row);
  return row;
}

/** The bare route alone with n clients (after a second's warm-up), printed as a row of the table. */
export async function measureBareAlone(port: number, clients: number, seconds: number): Promise<LoadResult> {
  await load(port, { path: BARE_PATH }, clients, 1); // warm-up: a just-started process has compiled nothing
  const result = await load(port, { path: BARE_PATH }, clients, seconds);
  console.log(
    `${`bare route ${BARE_PATH}, alone`.padEnd(52)} ${String(clients).padStart(7)} ${ms(result.p50).padStart(7)} ` +
      `${ms(result.p95).padStart(7)} ${ms(result.p99).padStart(7)} ${rate(result.rps).padStart(7)} │`,
  );
  return result;
}
