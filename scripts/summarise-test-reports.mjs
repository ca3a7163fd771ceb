#!/usr/bin/env node
// Adds up the vitest JSON reports written during a CI run and prints one closing line per
// run plus a total, in the plain "N passed, N failed" form. Exits 1 if any test failed
// or if no test ran at all.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const directory = process.argv[2] ?? '.ci-reports';
const totals = { passed: 0, failed: 0, skipped: 0 };
for (const file of readdirSync(directory)
  .filter((name) => name.endsWith('.json'))
  .sort()) {
  const report = JSON.parse(readFileSync(path.join(directory, file), 'utf8'));
  const passed = report.numPassedTests ?? 0;
  const failed = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  console.log(
    `${path.basename(file, '.json').padEnd(24)} ${passed} passed, ${failed} failed, ${skipped} skipped`,
  );
}
console.log(`total: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
