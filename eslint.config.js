// One lint config for every workspace; type-aware rules are left to `tsc` to keep lint fast.
import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      'data/**',
      'migrations/**',
      'e2e/artifacts/**',
      'jupyterlite/.cache/**',
      'jupyterlite/bridge/lib/**',
      'jupyterlite/bridge/labextension/**',
      '.ci-reports/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // CommonJS config files (dependency-cruiser reads .cjs) share patterns through require().
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['frontend/src/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // One way to open a transaction, typed: withTransaction hands Drizzle's own Tx, which is a Db.
    files: ['backend/src/**/*.ts'],
    ignores: ['backend/src/db/transaction.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='transaction']",
          message: 'Open transactions with withTransaction(db, work) from db/transaction.ts.',
        },
        {
          selector:
            "TSAsExpression[expression.type='TSAsExpression'][typeAnnotation.typeName.name=/^(Db|Tx)$/]",
          message: 'A transaction is already a Db: take the Tx that withTransaction hands you.',
        },
      ],
    },
  },
  {
    // Scripts and test tooling print to the terminal on purpose.
    files: ['scripts/**', 'e2e/**', 'bench/**', 'backend/scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
