import { bootTestApp, TestApp } from '../support/test-app';

describe('The OpenAPI document', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await bootTestApp({ seedDemo: false });
  });

  afterAll(() => testApp.close());

  it('documents every route of the API contract, and no HTML pages', async () => {
    const response = await testApp.http().get('/api/openapi.json');
    expect(response.status).toBe(200);
    const { paths } = response.body as { paths: Record<string, Record<string, unknown>> };
    const contract: Array<[string, string]> = [
      ['post', '/api/auth/login'],
      ['get', '/api/me'],
      ['get', '/api/pupils'],
      ['get', '/api/pupils/{id}'],
      ['get', '/api/pupils/{id}/chronology'],
      ['post', '/api/concerns'],
      ['get', '/api/concerns'],
      ['get', '/api/concerns/{id}'],
      ['post', '/api/concerns/{id}/decision'],
      ['post', '/api/concerns/{id}/close'],
      ['get', '/api/concerns/{id}/guidance'],
      ['post', '/api/guidance/evaluate'],
      ['post', '/api/concerns/{id}/escalations'],
      ['get', '/api/escalations/{id}'],
      ['get', '/api/la/escalations'],
      ['post', '/api/la/escalations/{id}/acknowledge'],
      ['post', '/api/la/escalations/{id}/outcome'],
      ['get', '/api/audit'],
      ['get', '/api/reports/referral-balance'],
      ['get', '/health'],
      ['get', '/health/live'],
      ['get', '/health/ready'],
    ];
    expect(contract.filter(([method, path]) => !paths[path]?.[method])).toEqual([]);
    expect(
      Object.keys(paths).filter(
        (path) => !path.startsWith('/api/') && !['/health', '/health/live', '/health/ready'].includes(path),
      ),
    ).toEqual([]);
  });

  it('documents the optional Idempotency-Key header on every route that creates a record', async () => {
    const response = await testApp.http().get('/api/openapi.json');
    const { paths } = response.body as {
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string; required?: boolean }> }>>;
    };
    const creations = [
      '/api/concerns',
      '/api/concerns/{id}/decision',
      '/api/concerns/{id}/close',
      '/api/concerns/{id}/escalations',
      '/api/la/escalations/{id}/acknowledge',
      '/api/la/escalations/{id}/outcome',
    ];
    const missing = creations.filter(
      (path) =>
        !paths[path]?.post?.parameters?.some(
          (p) => p.name === 'Idempotency-Key' && p.in === 'header' && p.required === false,
        ),
    );
    expect(missing).toEqual([]);
  });

  it("documents the referral's new fields: the family's preferred language and the phone time that starts the clock", async () => {
    const response = await testApp.http().get('/api/openapi.json');
    const schemas = (response.body as { components: { schemas: Record<string, { properties?: object }> } }).components
      .schemas;
    expect(schemas.ReferralDto?.properties).toHaveProperty('familyLanguage');
    expect(schemas.ReferralDto?.properties).toHaveProperty('phonedAt');
    expect(schemas.SendEscalationDto?.properties).toHaveProperty('referral');
  });
});
