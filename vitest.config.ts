import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Emulators and Chromium are started per file; two workers match the 2-core machines we run on.
    maxWorkers: 2,
  },
});
