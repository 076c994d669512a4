/**
 * Jest runs TypeScript as ES modules (NestJS 12 is ESM-only), in three tiers:
 *   unit         src/**\/*.spec.ts and test/unit: no database, no network
 *   integration  test/integration: the real app on PostgreSQL and Redis, one database per file
 *   browser      test/browser: the real app driven by headless Chromium, checked with axe-core
 * `npm test` runs all three; `npm run test:unit`, `test:integration`, `test:browser` run one.
 * Files run in parallel: each has its own database (copied from a migrated template), Redis key
 * prefix, SMTP port, HTTP port and upload directory (test/support/test-app.ts).
 */
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
  },
};

export default {
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/unit/**/*.test.ts'] },
    { ...shared, displayName: 'integration', testMatch: ['<rootDir>/test/integration/**/*.test.ts'] },
    { ...shared, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.test.ts'] },
  ],
  testTimeout: 60000,
  // One worker per core (jest's default leaves one idle); override with --maxWorkers.
  maxWorkers: '100%',
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
};
