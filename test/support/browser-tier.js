/**
 * `npm run test:browser`: the real-browser tier, run only where Chromium is installed.
 *
 * Without Chromium (CHROMIUM_PATH, default Debian's /usr/bin/chromium) it says plainly that the tier
 * was skipped and how to install Chromium, and exits 0, so `npm test` on a fresh machine still passes
 * its other tiers. With REQUIRE_BROWSER=1 (as .ci/run sets) a missing Chromium is a failure, and so is
 * a run in which no browser test passed. Extra arguments go to Jest.
 */
const { spawnSync } = require('node:child_process');
const { existsSync, mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const required = process.env.REQUIRE_BROWSER === '1';

if (!existsSync(chromiumPath)) {
  process.stdout.write(
    `\nBrowser tier ${required ? 'NOT RUN' : 'SKIPPED'}: no Chromium at ${chromiumPath}.\n` +
      'Install it with `apt-get install -y chromium` (Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium binary.\n' +
      (required ? 'REQUIRE_BROWSER=1: the browser tier is mandatory here, so this is a failure.\n' : ''),
  );
  process.exit(required ? 1 : 0);
}

const resultsDir = mkdtempSync(join(tmpdir(), 'sg-browser-tier-'));
const resultsFile = join(resultsDir, 'results.json');
const jest = spawnSync(
  process.execPath,
  [
    require.resolve('jest/bin/jest'),
    '--selectProjects',
    'browser',
    '--runInBand',
    '--json',
    `--outputFile=${resultsFile}`,
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', cwd: join(__dirname, '..', '..') },
);
let passed = 0;
try {
  passed = JSON.parse(readFileSync(resultsFile, 'utf8')).numPassedTests;
} catch {
  // No results: Jest failed before running anything; its exit code says so below.
}
rmSync(resultsDir, { recursive: true, force: true });

if (jest.status !== 0) process.exit(jest.status ?? 1);
if (required && passed === 0) {
  process.stdout.write('\nBrowser tier: REQUIRE_BROWSER=1 but no browser test passed, so it did not really run.\n');
  process.exit(1);
}
