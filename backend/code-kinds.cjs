// Path patterns shared by the import rules (.dependency-cruiser.cjs) and the domain-cycle check
// (scripts/check-domain-cycles.mjs), relative to backend/ as dependency-cruiser reports them.

/** Test code sets up data across domains on purpose; the rules are for product code. */
const TEST_CODE = '(\\.test\\.ts|\\.test-helpers\\.ts|\\.fixtures\\.ts)$|^src/test/';

/** A domain is a folder under src/modules/; the group captures its name. */
const DOMAIN_FILE = '^src/modules/([^/]+)/';

module.exports = { TEST_CODE, DOMAIN_FILE };
