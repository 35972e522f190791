/**
 * Closed-loop load with autocannon: `clients` keep-alive connections, each sending its next request as
 * soon as the previous answer arrives, for `seconds`. Every answer's time is kept (autocannon's own
 * summary has no p95), so the percentiles are exact; only 2xx answers count as served.
 */
import autocannon from 'autocannon';
import { LatencySummary, summarise } from './statistics';

export interface Target {
  method?: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  /** For POSTs: a fresh body for each request (the n-th of this load). */
  body?: (n: number) => unknown;
}

export interface LoadResult extends LatencySummary {
  seconds: number;
  /** Answers that were not 2xx, by status, and requests that failed or timed out. */
  statuses: Record<string, number>;
  errors: number;
}

export async function load(port: number, target: Target, clients: number, seconds: number): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let errors = 0;
  let n = 0;
  const headers = { ...(target.body ? { 'content-type': 'application/json' } : {}), ...target.headers };
  const started = process.hrtime.bigint();
  let instance!: autocannon.Instance;
  const finished = new Promise<void>((resolve, reject) => {
    instance = autocannon(
      {
        url: `http://127.0.0.1:${port}`,
        connections: clients,
        duration: seconds,
        // A slow route must still be measured, however slow: a timeout would hide its tail.
        timeout: 120,
        requests: [
          {
            method: target.method ?? 'GET',
            path: target.path,
            headers,
            ...(target.body
              ? {
                  setupRequest: (request: autocannon.Request) => ({
                    ...request,
                    body: JSON.stringify(target.body!(n++)),
                  }),
                }
              : {}),
          },
        ],
      },
      (error: unknown) =>
        error ? reject(error instanceof Error ? error : new Error(`autocannon: ${JSON.stringify(error)}`)) : resolve(),
    );
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    else statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
  });
  instance.on('reqError', () => (errors += 1));
  await finished;
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return { ...summarise(latencies, elapsed), seconds: elapsed, statuses, errors };
}

/** Failed answers of a load, for the table: 0, or e.g. "12 (500×10, errors 2)". */
export function failures(result: LoadResult): string {
  const bad = Object.entries(result.statuses);
  const total = bad.reduce((sum, [, count]) => sum + count, 0) + result.errors;
  if (total === 0) return '0';
  const detail = [
    ...bad.map(([status, count]) => `${status}×${count}`),
    ...(result.errors ? [`errors ${result.errors}`] : []),
  ];
  return `${total} (${detail.join(', ')})`;
}
