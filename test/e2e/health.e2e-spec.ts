import { AddressInfo } from 'node:net';
import { Server } from 'node:http';
import { GracefulShutdown } from '../../src/health/graceful-shutdown';
import { bootTestApp, TestApp } from '../support/test-app';

describe('Health routes', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
  });

  afterAll(() => testApp.close());

  it('answers the liveness probe without signing in', async () => {
    const response = await testApp.http().get('/health/live');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('keeps an idle connection open longer than a proxy would (no reset as the proxy reuses it)', async () => {
    const server = testApp.app.getHttpServer() as Server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/health/live`);
      expect(response.headers.get('keep-alive')).toBe('timeout=65');
      await response.text();
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  // First of the readiness tests: the app keeps "all applied" once it has seen it.
  it('is not ready while a migration is pending, and says which check failed; ready once it is applied', async () => {
    const [last] = await testApp.dataSource.query<Array<{ timestamp: string | number; name: string }>>(
      'SELECT timestamp, name FROM migrations ORDER BY timestamp DESC LIMIT 1',
    );
    await testApp.dataSource.query(`DELETE FROM migrations WHERE name = ${placeholder(testApp)}`, [last.name]);
    try {
      const pending = await testApp.http().get('/health/ready');
      expect(pending.status).toBe(503);
      expect(pending.body).toMatchObject({
        status: 'error',
        error: { migrations: { status: 'down', message: expect.stringContaining('pending') } },
        info: { database: { status: 'up' }, shutdown: { status: 'up' } },
      });
    } finally {
      await testApp.dataSource.query(
        `INSERT INTO migrations (timestamp, name) VALUES (${placeholder(testApp, 1)}, ${placeholder(testApp, 2)})`,
        [last.timestamp, last.name],
      );
    }
    const ready = await testApp.http().get('/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      info: { shutdown: { status: 'up' }, database: { status: 'up' }, migrations: { status: 'up' } },
      error: {},
    });
    expect(ready.headers['cache-control']).toBe('no-store');
  });

  it('keeps the process live while the database is unreachable, which the readiness route reports', async () => {
    const query = jest.spyOn(testApp.dataSource, 'query').mockRejectedValue(new Error('connection refused'));
    try {
      expect((await testApp.http().get('/health')).status).toBe(503);
      const ready = await testApp.http().get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ status: 'error', error: { database: { status: 'down' } } });
      const live = await testApp.http().get('/health/live');
      expect(live.status).toBe(200);
      expect(live.body).toEqual({ status: 'ok' });
    } finally {
      query.mockRestore();
    }
    expect((await testApp.http().get('/health/ready')).status).toBe(200);
  });

  it('is not ready once shutdown has begun (the proxy stops sending traffic), while still live', async () => {
    const draining = jest.spyOn(testApp.app.get(GracefulShutdown), 'isDraining', 'get').mockReturnValue(true);
    try {
      const ready = await testApp.http().get('/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({
        status: 'error',
        error: { shutdown: { status: 'down', message: 'shutting down' } },
        info: { database: { status: 'up' }, migrations: { status: 'up' } },
      });
      expect((await testApp.http().get('/health/live')).status).toBe(200);
      expect((await testApp.http().get('/health')).status).toBe(200);
    } finally {
      draining.mockRestore();
    }
  });
});

/** The n-th bind parameter as the engine writes it. */
function placeholder(testApp: TestApp, n = 1): string {
  return testApp.database.engine === 'postgres' ? `$${n}` : '?';
}
