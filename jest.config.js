/**
 * Three tiers (unit, medium, end-to-end) plus the real-browser journeys; see docs/architecture.md.
 *
 * NestJS 12 ships as ES modules. Node 20 loads them from the built app (require of ESM), but Jest's
 * module system cannot, so Jest compiles those packages (and the ESM libraries they pull in) to
 * CommonJS with Babel. Our own TypeScript goes through ts-jest.
 */
const ESM_PACKAGES = [
  '@nestjs',
  'file-type',
  'strtok3',
  'token-types',
  'uint8array-extras',
  '@tokenizer',
  '@borewit',
  '@standard-schema',
  'load-esm',
  'uid',
  // otplib's base32 and hashes (two-factor sign-in).
  '@scure',
  '@noble',
  '@otplib',
];

const common = {
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testEnvironment: 'node',
  rootDir: __dirname,
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
    '^.+\\.m?js$': [
      'babel-jest',
      {
        babelrc: false,
        configFile: false,
        plugins: [
          './test/support/babel-drop-create-require.js',
          'babel-plugin-transform-import-meta',
          '@babel/plugin-transform-dynamic-import',
          '@babel/plugin-transform-modules-commonjs',
        ],
      },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_PACKAGES.join('|')})/)`],
  setupFilesAfterEnv: ['<rootDir>/test/support/jest-timeouts.js'],
};

/**
 * How long one test or hook (booting the app in `beforeAll` included) may take before Jest calls it
 * stuck, per tier: the one place for timeouts, so no test sets its own. Generous on purpose: they are
 * there to catch a hang, and a busy 2-core machine runs the same work several times slower (see
 * docs/testing.md). Jest reads `testTimeout` only from the top level, hence `globals` and the setup file.
 */
const TIMEOUT_MS = { unit: 30_000, medium: 180_000, e2e: 180_000, browser: 180_000 };
const tier = (name, testMatch) => ({
  ...common,
  displayName: name,
  testMatch,
  globals: { TIER_TIMEOUT_MS: TIMEOUT_MS[name] },
});

module.exports = {
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    tier('unit', ['<rootDir>/src/**/*.spec.ts', '<rootDir>/scripts/**/*.spec.ts']),
    tier('medium', ['<rootDir>/test/medium/**/*.medium-spec.ts']),
    tier('e2e', ['<rootDir>/test/e2e/**/*.e2e-spec.ts']),
    tier('browser', ['<rootDir>/test/browser/**/*.browser-spec.ts']),
  ],
};
