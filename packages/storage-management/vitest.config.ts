import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Generous: interop tests start real peers, and CI machines are busy.
    testTimeout: 20_000,
    setupFiles: ['@dicomnet/test-utils/vitest-setup'],
  },
});
