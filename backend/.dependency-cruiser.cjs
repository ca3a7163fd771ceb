// The backend's import rules (docs/architecture.md), checked by `npm run check` through
// `npm run check:imports -w backend`. dependency-cruiser was chosen over eslint's
// import/no-cycle because it resolves the TypeScript graph once for all rules (cycles included,
// type-only imports too) and states path rules with the domain captured by a regex group.
//
// A domain is a folder under src/modules/. Cycles between domains (not only between files) are
// found by scripts/check-domain-cycles.mjs, which check:imports runs after this: rules here see
// one dependency at a time, and folder-scope cycle rules count test files and every folder level.

const { TEST_CODE } = require('./code-kinds.cjs');

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'No import cycles, type-only imports included: a cycle means two files are one unit in disguise. Move the shared part to where both can import it.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-cross-domain-repository',
      severity: 'error',
      comment:
        "A domain's tables are its own: other domains call its services (or take a function as a dependency), never its repositories.",
      from: { path: '^src/modules/([^/]+)/', pathNot: TEST_CODE },
      to: { path: '^src/modules/[^/]+/.+\\.repository\\.ts$', pathNot: '^src/modules/$1/' },
    },
    {
      name: 'routes-not-to-repositories',
      severity: 'error',
      comment: 'Routes are thin: route → service → repository.',
      from: { path: '\\.routes\\.ts$' },
      to: { path: '\\.repository\\.ts$' },
    },
    {
      name: 'drizzle-only-in-repositories',
      severity: 'error',
      comment:
        'Only repositories (and db/, and *.query.ts SQL fragments a domain shares) touch Drizzle and the schema.',
      from: {
        path: '^src/',
        pathNot: [TEST_CODE, '\\.repository\\.ts$', '\\.query\\.ts$', '^src/db/'],
      },
      to: { path: ['node_modules/drizzle-orm/', '^src/db/schema/'] },
    },
    {
      name: 'modules-not-to-http-layer',
      severity: 'error',
      comment:
        'Domains do not know how they are mounted: app.ts and http/ import them, not the reverse.',
      from: { path: '^src/modules/' },
      to: { path: ['^src/app\\.ts$', '^src/http/', '^src/realtime/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { conditionNames: ['@hintbook/source', 'import', 'node', 'default'] },
  },
};
