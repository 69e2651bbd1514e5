// `npm test`: typecheck, lint, unit, integration, e2e (in that order); ends with one line "N passed, N failed".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tmp = mkdtempSync(join(tmpdir(), 'portcullis-test-'));
let passed = 0;
let failed = 0;
let skipped = 0;

function run(label, cmd, args) {
  process.stdout.write(`\n== ${label}: ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: process.env });
  return r.status === 0;
}

function check(label, cmd, args) {
  if (run(label, cmd, args)) passed += 1;
  else {
    failed += 1;
    process.stdout.write(`!! ${label} failed\n`);
  }
}

function vitest(project, extra = []) {
  const out = join(tmp, `${project}.json`);
  const ok = run(project, 'npx', ['vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...extra]);
  if (!existsSync(out)) {
    failed += 1;
    process.stdout.write(`!! ${project}: vitest wrote no report\n`);
    return;
  }
  const report = JSON.parse(readFileSync(out, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  // A suite that fails to load counts as a failure even when no test inside it ran.
  const brokenSuites = report.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
  failed += brokenSuites;
  if (!ok && report.numFailedTests === 0 && brokenSuites === 0) failed += 1;
}

const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);
if (want('typecheck')) check('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']);
if (want('typecheck')) check('typecheck (web)', 'npx', ['tsc', '-p', 'web/tsconfig.json', '--noEmit']);
if (want('lint')) check('lint', 'npx', ['eslint', '--max-warnings=0', '.']);
if (want('unit')) vitest('unit', ['--coverage']);
if (want('integration')) vitest('integration');
// Browser tests in Chromium against a real server; the e2e global setup builds the UI when web/ changed.
if (want('e2e')) vitest('e2e');
rmSync(tmp, { recursive: true, force: true });

process.stdout.write(`\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exitCode = failed === 0 && passed > 0 ? 0 : 1;
