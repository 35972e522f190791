/** `npm run bench:floor`'s command line (scripts/stack-floor.ts), parsed without side effects so it can be unit-tested. */

export type Engine = 'sqlite' | 'postgres';

/** The floor's routes, in the order they are measured (scripts/bench/floor-app.ts serves them). */
export const FLOOR_ROUTES = [
  'node-http',
  'nest-json',
  'jwt',
  'select-1',
  'select-3',
  'select-8',
  'insert-1',
  'transaction-7',
] as const;
export type FloorRoute = (typeof FLOOR_ROUTES)[number];

export interface FloorOptions {
  engine: Engine;
  clients: number[];
  /** Seconds a measurement. */
  duration: number;
  /** Routes whose name contains one of these words; undefined: every route. */
  only?: string[];
  json?: string;
  /** Clients on the bare route beside each route; undefined: as many as the route's. 0: each route alone. */
  bareClients?: number;
  /** The floor app's port (the plain Node server's is the next); undefined: free ones. */
  port?: number;
}

const KNOWN = ['engine', 'clients', 'duration', 'only', 'json', 'bare-clients', 'port'];

/** Parses the arguments after the script's name; throws with a message for anything it cannot use. */
export function parseFloorOptions(argv: readonly string[]): FloorOptions {
  const flags = argv.filter((arg) => arg.startsWith('--'));
  const unknown = flags.filter((arg) => !KNOWN.includes(arg.slice(2)));
  if (unknown.length) throw new Error(`Unknown option ${unknown.join(', ')}; see scripts/stack-floor.ts`);
  const stray = argv.filter((arg, i) => !arg.startsWith('--') && (i === 0 || !argv[i - 1].startsWith('--')));
  if (stray.length) throw new Error(`Unexpected argument ${stray.join(', ')}; options are --name value`);
  const value = (name: string) => {
    const at = argv.indexOf(`--${name}`);
    if (at < 0) return undefined;
    const next = argv[at + 1];
    if (next === undefined || next.startsWith('--')) throw new Error(`--${name} needs a value`);
    return next;
  };
  const engine = value('engine') ?? 'sqlite';
  if (engine !== 'sqlite' && engine !== 'postgres') throw new Error('--engine is sqlite or postgres');
  const clients = (value('clients') ?? '10,50').split(',').map(Number);
  if (clients.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('--clients is a list like 10,50');
  const duration = Number(value('duration') ?? 5);
  if (!(duration > 0)) throw new Error('--duration is a number of seconds');
  const port = value('port') === undefined ? undefined : Number(value('port'));
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65535))
    throw new Error('--port is a port number');
  const bareClients = value('bare-clients') === undefined ? undefined : Number(value('bare-clients'));
  if (bareClients !== undefined && !(Number.isInteger(bareClients) && bareClients >= 0))
    throw new Error('--bare-clients is a number of clients (0: measure each route alone)');
  const only = value('only')
    ?.split(',')
    .map((word) => word.trim())
    .filter(Boolean);
  if (only && !FLOOR_ROUTES.some((route) => only.some((word) => route.includes(word))))
    throw new Error(`--only matches no route; the routes are ${FLOOR_ROUTES.join(', ')}`);
  return { engine, clients, duration, only, json: value('json'), bareClients, port };
}
