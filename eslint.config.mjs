// @ts-check
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '**/coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      // Workspace packages export their TypeScript sources, so Node's resolution reaches the .ts files.
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js'] })],
    },
    rules: {
      // docs/architecture.md (Style, 1. Package skeleton): no import cycles, within a package or across packages.
      'import-x/no-cycle': ['error', { ignoreExternal: false }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Production modules (everything under a package's or app's src/ that is not a test) never reach test-only
    // code: the provider sandbox, the test-helpers package, a package's ./testing subpath or a test/ folder.
    files: ['packages/*/src/**/*.ts', 'apps/*/src/**/*.ts'],
    ignores: ['**/*.test.ts', 'packages/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                '@crm-sync/provider-sandbox',
                '@crm-sync/provider-sandbox/*',
                '@crm-sync/testing',
                '@crm-sync/*/testing',
              ],
              message:
                'Test-only code: import it from tests or test/ helpers, never from production modules.',
            },
            {
              regex: '^(\\.\\.?/)+(.*/)?test(/|$)',
              message: 'test/ holds test helpers; production modules must not import them.',
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      '**/*.test.ts',
      '**/test/**/*.ts',
      'packages/testing/**/*.ts',
      'bench/**/*.ts',
      'infra/docs/**/*.ts',
      '**/cli/**/*.ts',
    ],
    rules: { 'no-console': 'off' },
  },
);
