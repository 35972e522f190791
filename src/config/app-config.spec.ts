import { ConfigurationError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('starts a fresh development machine with nothing set: SQLite file, port 3000, demo seed on', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.database).toEqual(expect.objectContaining({ kind: 'sqlite' }));
    expect(config.seed).toEqual({ demo: true, demoPassword: 'demo-password' });
    expect(config.auth.jwtSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('refuses a production start without JWT_SECRET and says so', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET is required/);
  });

  it('refuses a short production secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'short' })).toThrow(ConfigurationError);
  });

  it('does not seed demo data in production unless asked, and then needs a real password', () => {
    const secret = 'x'.repeat(40);
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret }).seed.demo).toBe(false);
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, SEED_DEMO: 'true' })).toThrow(
      /DEMO_PASSWORD is required/,
    );
  });

  it('reads PostgreSQL URLs and rejects anything else', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/sg' }).database).toEqual({
      kind: 'postgres',
      url: 'postgres://postgres@127.0.0.1:5432/sg',
      database: 'sg',
    });
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigurationError);
  });
});
