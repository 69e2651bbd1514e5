// Integration suite setup: requires a running dockerd, builds the test image, cleans up after.
import { execFileSync } from 'node:child_process';
import { TEST_IMAGE, cleanupTestObjects, ensureTestImage } from './docker-cli.js';

export function setup(): void {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore' });
  } catch {
    throw new Error('integration tests need a running dockerd (`.ci/run` starts one)');
  }
  cleanupTestObjects();
  ensureTestImage();
}

export function teardown(): void {
  cleanupTestObjects();
  // The image is shared by every suite; on a developer machine several suites may run at once, so
  // only a CI run (one suite at a time, fresh machine) removes it.
  if (!process.env.CI) return;
  try {
    execFileSync('docker', ['image', 'rm', '-f', TEST_IMAGE], { stdio: 'ignore' });
  } catch {
    // already gone
  }
}
