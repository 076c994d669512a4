import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Lint for the bugs people actually ship: floating promises, non-exhaustive switches, implicit any. */
export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'migrations/**', 'scripts/**', '*.config.js'] },
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
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    // Domain code never imports a controller or a page.
    files: ['src/**/*.service.ts', 'src/**/*.entity.ts', 'src/**/*.job.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/*.controller.js', '**/*.page.js'], message: 'Domain code must not import controllers or pages.' }] }],
    },
  },
);
