// Child process for audit-log crash and multi-process tests: appends records to the store at argv[2].
// Usage: node --import tsx audit-writer-child.ts <database-url> <count|loop> [actor]
// Prints "ready" after its first append; with a count it exits 0 after that many appends.
import { openDatabase } from '../../src/store/index.js';

const [url, mode = 'loop', actor = `child-${process.pid}`] = process.argv.slice(2);
if (url === undefined) throw new Error('usage: audit-writer-child.ts <database-url> <count|loop> [actor]');
const limit = mode === 'loop' ? Number.POSITIVE_INFINITY : Number(mode);

const store = await openDatabase(url);
let written = 0;
while (written < limit) {
  await store.audit.append({
    actor,
    actorType: 'system',
    action: 'test.append',
    result: 'success',
    target: `n-${written}`,
    details: { n: written, pad: 'x'.repeat(written % 200) },
  });
  written += 1;
  if (written === 1) process.stdout.write('ready\n');
}
await store.close();
process.stdout.write(`done ${written}\n`);
