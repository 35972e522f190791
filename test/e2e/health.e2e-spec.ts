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

  it('keeps the process live while the database is unreachable, which the readiness route reports', async () => {
    const query = jest.spyOn(testApp.dataSource, 'query').mockRejectedValue(new Error('connection refused'));
    try {
      expect((await testApp.http().get('/health')).status).toBe(503);
      const live = await testApp.http().get('/health/live');
      expect(live.status).toBe(200);
      expect(live.body).toEqual({ status: 'ok' });
    } finally {
      query.mockRestore();
    }
  });
});
