import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * Lint for the bugs people actually ship: floating promises, non-exhaustive switches, `any`
 * leaking through the types. Type-aware: `projectService` gives every rule the TypeScript program
 * (tsconfig.json), so the `no-unsafe-*` and promise rules see real types.
 *
 * Module boundaries (who may import whom) are dependency-cruiser's job: .dependency-cruiser.cjs.
 */
const UNSAFE_ANY_RULES = {
  '@typescript-eslint/no-explicit-any': 'error',
  '@typescript-eslint/no-unsafe-assignment': 'error',
  '@typescript-eslint/no-unsafe-member-access': 'error',
  '@typescript-eslint/no-unsafe-call': 'error',
  '@typescript-eslint/no-unsafe-return': 'error',
  '@typescript-eslint/no-unsafe-argument': 'error',
};
const offAll = (rules) => Object.fromEntries(Object.keys(rules).map((name) => [name, 'off']));

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'migrations/**', 'scripts/**', '*.config.js', '.dependency-cruiser.cjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['src/**/*.ts', 'test/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      ...UNSAFE_ANY_RULES,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Tests read JSON response bodies, untyped by nature (the API client's body is `any` on purpose,
    // and the response is checked by the assertions): the any-rules would flag every `res.body.x`.
    files: ['test/**/*.ts'],
    rules: offAll(UNSAFE_ANY_RULES),
  },
  {
    // Domain code never imports a controller or a page (dependency-cruiser checks the same, and more).
    files: ['src/**/*.ts'],
    ignores: ['src/**/*.pages.ts', 'src/**/*.controller.ts', 'src/**/*.module.ts', 'src/main.ts', 'src/start-steps.ts', 'src/bootstrap.ts', 'src/app.module.ts', 'src/domain-modules.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/*.pages.js', '**/*.controller.js'], message: 'Domain code must not import controllers or pages.' },
            { group: ['**/bootstrap.js', '**/demo/*'], message: 'Only main.ts and the composition root may import bootstrap or demo data.' },
          ],
        },
      ],
    },
  },
);
