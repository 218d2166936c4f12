import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['apps/api/test/support/global-setup.ts'],
    include: ['apps/**/test/**/*.test.ts', 'packages/**/test/**/*.test.ts'],
    testTimeout: 30000,
    hookTimeout: 60000,
  },
});
