/**
 * Module boundaries for src/ (docs/architecture.md, "Modules"). `npm run lint:deps` fails on any
 * violation; `npm run deps:graph` draws the module graph that docs/architecture.md shows.
 */
const DOMAIN =
  '(school|dsp|guidance|local-authority|chronology|reports|accounts|home|pru|transfers|notifications|seed)';

module.exports = {
  forbidden: [
    {
      name: 'no-module-cycles',
      severity: 'error',
      comment: 'Two modules of src/ never depend on each other, directly or round a loop.',
      scope: 'folder',
      from: { path: '^src/[^/]+' },
      to: { circular: true },
    },
    {
      name: 'no-file-cycles',
      severity: 'error',
      comment: 'No file imports itself round a loop.',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'platform-below-domain',
      severity: 'error',
      comment: 'common/, config/ and database/ are the platform: they import no domain module.',
      from: { path: '^src/(common|config|database)/' },
      to: { path: `^src/${DOMAIN}/` },
    },
    {
      name: 'i18n-is-a-leaf',
      severity: 'error',
      comment:
        'i18n (catalogues, translation, choosing a language) uses only common/ and config/: saving a choice to an ' +
        'account belongs to auth/organisations (auth/language-switch.controller.ts).',
      from: { path: '^src/i18n/' },
      to: { path: '^src/', pathNot: '^src/(i18n|common|config)/' },
    },
    {
      name: 'domain-does-not-translate',
      severity: 'error',
      comment:
        'Services, engines and entities answer in codes and catalogue messages (common/language.ts); only the ' +
        'edge (controllers, API mappers, page view models) puts them into words, in the reader’s language.',
      from: { path: `^src/${DOMAIN}/.*(\\.service|-engine|\\.entity)\\.ts$` },
      to: { path: '^src/i18n/' },
    },
    {
      name: 'common-is-the-bottom',
      severity: 'error',
      comment: 'common/ (Actor, roles, errors, validation, column helpers) imports no other module.',
      from: { path: '^src/common/' },
      to: { path: '^src/', pathNot: '^src/common/' },
    },
    {
      name: 'config-on-common-only',
      severity: 'error',
      comment: 'config/ reads the environment; it imports nothing but common/.',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: '^src/(config|common)/' },
    },
    {
      name: 'database-on-config-and-common-only',
      severity: 'error',
      comment:
        'database/ (connection, migrations, UnitOfWork) knows no module: each module registers its own entities.',
      from: { path: '^src/database/' },
      to: { path: '^src/', pathNot: '^src/(database|config|common)/' },
    },
    {
      name: 'platform-services-below-access-and-domain',
      severity: 'error',
      comment:
        'calendar, organisations, auth, audit and health serve every module, so they import neither the access ' +
        'policy, nor the page plumbing, nor a domain module (the app module binds the policy the audit log reads by).',
      from: { path: '^src/(calendar|organisations|auth|audit|health)/' },
      to: { path: `^src/(access|web|${DOMAIN.slice(1, -1)})/` },
    },
    {
      name: 'nothing-imports-the-seed',
      severity: 'error',
      comment: 'The demo seed may use every module; no module may use it (only the app module wires it).',
      from: { path: '^src/', pathNot: ['^src/seed/', '^src/app\\.module\\.ts$'] },
      to: { path: '^src/seed/' },
    },
    {
      name: 'no-tests-in-the-app',
      severity: 'error',
      comment: 'The app never imports test code.',
      from: { path: '^src/', pathNot: '\\.spec\\.ts$|test-helpers\\.ts$' },
      to: { path: '^test/|\\.spec\\.ts$|test-helpers\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.spec\\.ts$|test-helpers\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.build.json' },
    reporterOptions: {
      dot: { collapsePattern: '^src/[^/]+' },
    },
  },
};
