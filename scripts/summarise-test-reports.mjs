#!/usr/bin/env node
// Adds up the vitest JSON reports written during a CI run and prints one closing line per
// run plus a total, in the plain "N passed, N failed" form. Exits 1 if any test failed
// or if no test ran at all.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const usage = `Usage: node scripts/summarise-test-reports.mjs [DIR]

Adds up the vitest JSON reports (*.json) in DIR (default .ci-reports, where .ci/run has the test
commands write them through HINTBOOK_TEST_REPORTS) and prints one line per report and a total.
Exit codes: 0 all passed, 1 a test failed or none ran, 2 no such folder.`;
const argument = process.argv[2];
if (argument === '--help' || argument === '-h') {
  console.log(usage);
  process.exit(0);
}
const directory = argument ?? '.ci-reports';
if (!existsSync(directory)) {
  console.error(
    `summarise-test-reports: no folder ${directory} (no test wrote a report)\n${usage}`,
  );
  process.exit(2);
}
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
