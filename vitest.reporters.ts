/**
 * Test reporters for every workspace. Locally: the default console reporter. In CI
 * (HINTBOOK_TEST_REPORTS set by .ci/run) also a JSON report per run, which
 * scripts/summarise-test-reports.mjs adds up into one closing line.
 */
export function testReporters(workspace: string) {
  const directory = process.env.HINTBOOK_TEST_REPORTS;
  if (!directory) return { reporters: ['default'] };
  const run = process.env.HINTBOOK_TEST_REPORT_NAME ?? 'run';
  return {
    reporters: ['default', 'json'],
    outputFile: { json: `${directory}/${run}-${workspace}.json` },
  };
}
