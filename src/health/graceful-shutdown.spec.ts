import { INestApplication } from '@nestjs/common';
import { createServer, request, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { AppConfig, loadConfig } from '../config/app-config';
import { GracefulShutdown } from './graceful-shutdown';

describe('SHUTDOWN_GRACE_SECONDS', () => {
  it('gives requests in flight 10 seconds unless set', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).http.shutdownGraceSeconds).toBe(10);
    expect(loadConfig({ NODE_ENV: 'test', SHUTDOWN_GRACE_SECONDS: '45' }).http.shutdownGraceSeconds).toBe(45);
  });

  it('refuses what is not a whole number of seconds from 1 to 600, naming it', () => {
    for (const value of ['0', '-1', '1.5', 'soon', '601'])
      expect(() => loadConfig({ NODE_ENV: 'test', SHUTDOWN_GRACE_SECONDS: value })).toThrow(/SHUTDOWN_GRACE_SECONDS/);
  });
});

describe('GracefulShutdown.drain', () => {
  let server: Server;
  let shutdown: GracefulShutdown;
  let port: number;
  /** Each request waits until the test answers it. */
  const waiting: Array<() => void> = [];

  beforeEach(async () => {
    server = createServer((_request, response) => waiting.push(() => response.end('done')));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    shutdown = new GracefulShutdown(loadConfig({ NODE_ENV: 'test' }) satisfies AppConfig);
    shutdown.listen({ getHttpServer: () => server } as unknown as INestApplication, () => undefined);
  });

  afterEach(() => {
    shutdown.onApplicationShutdown();
    server.closeAllConnections();
    waiting.length = 0;
  });

  const get = () =>
    new Promise<{ status?: number; connection?: string; error?: string }>((resolve) => {
      const sent = request({ port, host: '127.0.0.1', path: '/', agent: false }, (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode, connection: response.headers.connection }));
      });
      sent.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code }));
      sent.end();
    });

  const until = async (condition: () => boolean) => {
    while (!condition()) await new Promise((resolve) => setImmediate(resolve));
  };

  it('refuses new connections, lets the request in flight finish with Connection: close, then resolves', async () => {
    const inFlight = get();
    await until(() => waiting.length === 1);
    expect(shutdown.isDraining).toBe(false);

    const drained = shutdown.drain(600_000);
    expect(shutdown.isDraining).toBe(true);
    expect(await get()).toEqual({ error: 'ECONNREFUSED' });

    waiting[0]();
    expect(await inFlight).toEqual({ status: 200, connection: 'close' });
    await drained;
    expect(server.listening).toBe(false);
  });

  it('closes the connections still busy once the grace period is over', async () => {
    const inFlight = get();
    await until(() => waiting.length === 1);
    await shutdown.drain(1);
    expect(await inFlight).toEqual({ error: 'ECONNRESET' });
  });
});
