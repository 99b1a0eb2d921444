import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Generous: interop tests start real peers, and CI machines are busy.
    testTimeout: 20_000,
    // Hooks start peers and remove folders of thousands of files: on a CI machine running every
    // package's tests at once, one removal took longer than vitest's default of 10 s.
    hookTimeout: 60_000,
    setupFiles: ['@dicomnet/test-utils/vitest-setup'],
  },
});
