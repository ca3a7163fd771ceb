// The SPA's import rules (docs/architecture.md), checked by `npm run check`. For now one: no
// import cycles, type-only imports included. The backend's config holds the domain rules.
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles: move the shared part to where both sides can import it.',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      conditionNames: ['@hintbook/source', 'import', 'browser', 'default'],
    },
  },
};
