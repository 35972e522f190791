import {
  ConfigurationError,
  DEVELOPMENT_AUDIT_KEY,
  loadConfig,
  STANDARD_PASSWORD_HASH_COST,
  TEST_CHECKPOINT_FILE,
  WEB_WORKERS_NEED_POSTGRES,
} from './app-config';

/**
 * What a production start needs besides JWT_SECRET: the device-cookie secret, the audit log's key and
 * file, and where emails go and link to.
 */
const PRODUCTION_SECRETS = {
  APP_URL: 'https://safeguarding.cardiff.example',
  SMTP_URL: 'smtp://mailer:secret@smtp.cardiff.example:587',
  SIGN_IN_DEVICE_SECRET: 'd'.repeat(40),
  AUDIT_KEY: 'k'.repeat(64),
  AUDIT_CHECKPOINT_FILE: '/var/log/safeguarding/audit-checkpoints.jsonl',
};

describe('loadConfig', () => {
  describe('email', () => {
    it('refuses a production start without APP_URL or SMTP_URL, and says so', () => {
      const production = { NODE_ENV: 'production', JWT_SECRET: 's'.repeat(40), ...PRODUCTION_SECRETS };
      expect(() => loadConfig({ ...production, APP_URL: undefined })).toThrow(/APP_URL is required/);
      expect(() => loadConfig({ ...production, SMTP_URL: undefined })).toThrow(/SMTP_URL is required/);
      expect(() => loadConfig({ ...production, SMTP_URL: 'http://x' })).toThrow(/SMTP_URL must be/);
      expect(loadConfig(production).mail).toEqual({
        appUrl: 'https://safeguarding.cardiff.example',
        from: 'Safeguarding <no-reply@safeguarding.invalid>',
        transport: { kind: 'smtp', url: PRODUCTION_SECRETS.SMTP_URL },
      });
    });

    it('writes emails to data/outbox on a fresh development machine, with links to localhost', () => {
      const { mail } = loadConfig({ PORT: '3100' });
      expect(mail.appUrl).toBe('http://localhost:3100');
      expect(mail.transport).toEqual({ kind: 'outbox', directory: expect.stringMatching(/\/data\/outbox$/) });
    });

    it('drops a trailing slash from APP_URL and refuses an address that is not http(s)', () => {
      expect(loadConfig({ APP_URL: 'https://sg.example/cardiff/' }).mail.appUrl).toBe('https://sg.example/cardiff');
      expect(() => loadConfig({ APP_URL: 'javascript:alert(1)' })).toThrow(/APP_URL must be/);
    });
  });

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
    expect(loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, ...PRODUCTION_SECRETS }).seed.demo).toBe(false);
    expect(() =>
      loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, ...PRODUCTION_SECRETS, SEED_DEMO: 'true' }),
    ).toThrow(/DEMO_PASSWORD is required/);
  });

  describe('sign-in throttling', () => {
    const secret = 'x'.repeat(40);

    it('refuses a production start without SIGN_IN_DEVICE_SECRET (no default there), or with a short one', () => {
      expect(() =>
        loadConfig({
          NODE_ENV: 'production',
          JWT_SECRET: secret,
          ...PRODUCTION_SECRETS,
          SIGN_IN_DEVICE_SECRET: undefined,
        }),
      ).toThrow(/SIGN_IN_DEVICE_SECRET is required/);
      expect(() =>
        loadConfig({
          NODE_ENV: 'production',
          JWT_SECRET: secret,
          ...PRODUCTION_SECRETS,
          SIGN_IN_DEVICE_SECRET: 'short',
        }),
      ).toThrow(/SIGN_IN_DEVICE_SECRET must be at least 32 characters/);
      expect(
        loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, ...PRODUCTION_SECRETS, SIGN_IN_DEVICE_SECRET: secret })
          .auth.signIn.deviceSecret,
      ).toBe(secret);
    });

    it('has the documented limits unless set, and a random device key outside production', () => {
      const { signIn } = loadConfig({}).auth;
      expect(signIn).toMatchObject({
        deviceCookieDays: 180,
        lockoutWindowSeconds: 900,
        maxFailuresPerDevice: 5,
        maxFailuresPerAccountAddress: 5,
        maxFailuresPerAccount: 20,
        maxFailuresPerAddress: 100,
      });
      expect(signIn.deviceSecret.length).toBeGreaterThanOrEqual(32);
      expect(loadConfig({}).auth.signIn.deviceSecret).not.toBe(signIn.deviceSecret);
    });

    it('reads the limits, and refuses nonsense', () => {
      expect(
        loadConfig({ SIGN_IN_MAX_FAILURES_PER_ADDRESS: '500', SIGN_IN_WINDOW_SECONDS: '600' }).auth.signIn,
      ).toMatchObject({ maxFailuresPerAddress: 500, lockoutWindowSeconds: 600 });
      expect(() => loadConfig({ SIGN_IN_MAX_FAILURES_PER_DEVICE: '0' })).toThrow(/SIGN_IN_MAX_FAILURES_PER_DEVICE/);
      expect(() => loadConfig({ SIGN_IN_WINDOW_SECONDS: 'soon' })).toThrow(/SIGN_IN_WINDOW_SECONDS/);
      expect(() =>
        loadConfig({ SIGN_IN_MAX_FAILURES_PER_ACCOUNT: '3', SIGN_IN_MAX_FAILURES_PER_ACCOUNT_ADDRESS: '5' }),
      ).toThrow(/SIGN_IN_MAX_FAILURES_PER_ACCOUNT must not be below/);
    });
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

  describe('PASSWORD_HASH_COST (log2 of scrypt N)', () => {
    const secret = 'x'.repeat(40);

    it('is the standard 15 (N=32768) unless set', () => {
      expect(STANDARD_PASSWORD_HASH_COST).toBe(15);
      expect(loadConfig({}).auth.passwordHashCost).toBe(15);
      expect(
        loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, ...PRODUCTION_SECRETS }).auth.passwordHashCost,
      ).toBe(15);
    });

    it('may be lowered for tests', () => {
      expect(loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_COST: '4' }).auth.passwordHashCost).toBe(4);
    });

    it.each(['production', 'development'])('refuses a lowered cost when NODE_ENV=%s, and says why', (env) => {
      const start = () => loadConfig({ NODE_ENV: env, JWT_SECRET: secret, PASSWORD_HASH_COST: '14' });
      expect(start).toThrow(ConfigurationError);
      expect(start).toThrow(`PASSWORD_HASH_COST below 15 is for tests only (NODE_ENV=test), not ${env}`);
    });

    it('may be raised to 16 anywhere, and no further (the hasher has memory for N=2^16)', () => {
      expect(
        loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret, ...PRODUCTION_SECRETS, PASSWORD_HASH_COST: '16' }).auth
          .passwordHashCost,
      ).toBe(16);
      expect(() => loadConfig({ PASSWORD_HASH_COST: '17' })).toThrow(/PASSWORD_HASH_COST/);
    });

    it.each(['0', '-3', 'ten', '4.5'])('refuses %p even in tests', (bad) => {
      expect(() => loadConfig({ NODE_ENV: 'test', PASSWORD_HASH_COST: bad })).toThrow(/PASSWORD_HASH_COST/);
    });
  });

  describe('the audit key and checkpoint file', () => {
    const secret = 'x'.repeat(40);
    const production = { NODE_ENV: 'production', JWT_SECRET: secret, ...PRODUCTION_SECRETS };

    it('refuses a production start without AUDIT_KEY, and says so', () => {
      expect(() => loadConfig({ ...production, AUDIT_KEY: undefined })).toThrow(/AUDIT_KEY is required/);
      expect(() => loadConfig({ ...production, AUDIT_KEY: '' })).toThrow(/AUDIT_KEY is required/);
    });

    it('refuses a short key, and the development key, in production', () => {
      expect(() => loadConfig({ ...production, AUDIT_KEY: 'short' })).toThrow(/AUDIT_KEY must be at least 32/);
      expect(() => loadConfig({ ...production, AUDIT_KEY: DEVELOPMENT_AUDIT_KEY })).toThrow(/development key/);
    });

    it('refuses a production start without AUDIT_CHECKPOINT_FILE', () => {
      expect(() => loadConfig({ ...production, AUDIT_CHECKPOINT_FILE: undefined })).toThrow(
        /AUDIT_CHECKPOINT_FILE is required/,
      );
    });

    it('takes both in production', () => {
      expect(loadConfig(production).audit).toEqual({
        key: PRODUCTION_SECRETS.AUDIT_KEY,
        checkpointFile: PRODUCTION_SECRETS.AUDIT_CHECKPOINT_FILE,
      });
    });

    it('uses the marked development key and a file under data/ in development, and a temporary file in tests', () => {
      expect(loadConfig({}).audit.key).toBe(DEVELOPMENT_AUDIT_KEY);
      expect(loadConfig({}).audit.checkpointFile).toMatch(/data[/\\]audit-checkpoints\.jsonl$/);
      expect(loadConfig({ NODE_ENV: 'test' }).audit.checkpointFile).toBe(TEST_CHECKPOINT_FILE);
    });
  });

  describe('BANK_HOLIDAYS', () => {
    it('names no dates when unset or empty, so the calendar uses its built-in list (CalendarModule)', () => {
      expect(loadConfig({}).calendar.bankHolidays).toBeUndefined();
      expect(loadConfig({ BANK_HOLIDAYS: '' }).calendar.bankHolidays).toBeUndefined();
    });

    it('replaces the default with the listed dates, trimmed, sorted and without repeats', () => {
      expect(
        loadConfig({ BANK_HOLIDAYS: ' 2029-12-25, 2029-01-01,2029-12-25 ,2028-02-29,' }).calendar.bankHolidays,
      ).toEqual(['2028-02-29', '2029-01-01', '2029-12-25']);
    });

    it.each(['2029-02-29', '2029-13-01', '2029-04-31', '2029-1-1', '01/01/2029', 'Christmas'])(
      'refuses to start with %p and names it',
      (bad) => {
        expect(() => loadConfig({ BANK_HOLIDAYS: `2029-01-01,${bad}` })).toThrow(ConfigurationError);
        expect(() => loadConfig({ BANK_HOLIDAYS: `2029-01-01,${bad}` })).toThrow(`BANK_HOLIDAYS: "${bad}"`);
      },
    );

    it('names every bad date at once, alongside other problems', () => {
      let error: ConfigurationError | undefined;
      try {
        loadConfig({ PORT: 'eighty', BANK_HOLIDAYS: '2029-02-30,2029-01-01,2029-00-01' });
      } catch (thrown) {
        error = thrown as ConfigurationError;
      }
      expect(error).toBeInstanceOf(ConfigurationError);
      expect(error?.problems).toEqual(
        expect.arrayContaining([
          'BANK_HOLIDAYS: "2029-02-30" is not a real date in YYYY-MM-DD form',
          'BANK_HOLIDAYS: "2029-00-01" is not a real date in YYYY-MM-DD form',
        ]),
      );
      expect(error?.problems.some((problem) => problem.startsWith('PORT'))).toBe(true);
    });

    it('refuses a list with no dates in it rather than dropping every holiday', () => {
      expect(() => loadConfig({ BANK_HOLIDAYS: ' , ,' })).toThrow(/BANK_HOLIDAYS lists no dates/);
    });
  });

  describe('REQUIRE_2FA and TWO_FACTOR_KEY', () => {
    const production = { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), ...PRODUCTION_SECRETS };

    it('requires two-factor sign-in in production and not elsewhere, unless set', () => {
      expect(loadConfig(production).auth.twoFactor.required).toBe(true);
      expect(loadConfig({}).auth.twoFactor.required).toBe(false);
      expect(loadConfig({ NODE_ENV: 'test' }).auth.twoFactor.required).toBe(false);
      expect(loadConfig({ ...production, REQUIRE_2FA: 'false' }).auth.twoFactor.required).toBe(false);
      expect(loadConfig({ REQUIRE_2FA: 'true' }).auth.twoFactor.required).toBe(true);
    });

    it('refuses a value that is not true or false, and a short key', () => {
      expect(() => loadConfig({ REQUIRE_2FA: 'yes please' })).toThrow(/REQUIRE_2FA must be true or false/);
      expect(() => loadConfig({ TWO_FACTOR_KEY: 'short' })).toThrow(/TWO_FACTOR_KEY must be at least 32/);
    });

    it('derives the secrets key from TWO_FACTOR_KEY, else from the audit key', () => {
      expect(loadConfig({ ...production, TWO_FACTOR_KEY: 't'.repeat(32) }).auth.twoFactor.keyMaterial).toBe(
        't'.repeat(32),
      );
      expect(loadConfig(production).auth.twoFactor.keyMaterial).toBe(PRODUCTION_SECRETS.AUDIT_KEY);
    });
  });

  describe('WEB_WORKERS', () => {
    const POSTGRES = 'postgres://app@db.example:5432/safeguarding';

    it('serves in one process unless set', () => {
      expect(loadConfig({}).http.workers).toBe(1);
      expect(loadConfig({ WEB_WORKERS: '' }).http.workers).toBe(1);
    });

    it('takes 1 to 32 processes on PostgreSQL', () => {
      expect(loadConfig({ DATABASE_URL: POSTGRES, WEB_WORKERS: '4' }).http.workers).toBe(4);
      expect(loadConfig({ DATABASE_URL: POSTGRES, WEB_WORKERS: '32' }).http.workers).toBe(32);
      expect(loadConfig({ DATABASE_URL: POSTGRES, WEB_WORKERS: '1' }).http.workers).toBe(1);
    });

    it.each([
      ['0', /WEB_WORKERS must be at least 1/],
      ['33', /WEB_WORKERS must be at most 32/],
      ['2.5', /WEB_WORKERS must be a whole number of processes/],
      ['two', /WEB_WORKERS must be a whole number of processes/],
    ])('refuses %s and says why', (value, problem) => {
      expect(() => loadConfig({ DATABASE_URL: POSTGRES, WEB_WORKERS: value })).toThrow(problem);
    });

    it('refuses several processes on SQLite, naming PostgreSQL as the engine for them, and allows one', () => {
      for (const DATABASE_URL of [undefined, 'sqlite:/var/lib/safeguarding/app.sqlite', 'sqlite::memory:']) {
        const refused = (() => {
          try {
            loadConfig({ DATABASE_URL, WEB_WORKERS: '2' });
          } catch (error) {
            return error;
          }
        })();
        expect(refused).toBeInstanceOf(ConfigurationError);
        expect((refused as ConfigurationError).problems).toEqual([WEB_WORKERS_NEED_POSTGRES]);
        expect(WEB_WORKERS_NEED_POSTGRES).toMatch(/needs PostgreSQL.*SQLITE_BUSY/);
        expect(loadConfig({ DATABASE_URL, WEB_WORKERS: '1' }).http.workers).toBe(1);
      }
    });
  });
});
