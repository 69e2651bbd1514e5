// Integration suite setup: requires a running dockerd, builds the test image, cleans up after.
import { execFileSync } from 'node:child_process';
import { TEST_IMAGE, cleanupTestObjects, ensureTestImage } from './docker-cli.js';

// On a developer machine several suites may run at once and share the image and the label, so only
// a CI run (one suite at a time, fresh machine) sweeps everything; each test removes what it made.
const sweepAll = Boolean(process.env.CI);

export function setup(): void {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore' });
  } catch {
    throw new Error('integration tests need a running dockerd (`.ci/run` starts one)');
  }
  if (sweepAll) cleanupTestObjects();
  ensureTestImage();
}

export function teardown(): void {
  if (!sweepAll) return;
  cleanupTestObjects();
  try {
    execFileSync('docker', ['image', 'rm', '-f', TEST_IMAGE], { stdio: 'ignore' });
  } catch {
    // already gone
  }
}
