import { configDefaults, defineConfig } from 'vitest/config';
import { patience } from './test/support/patience.js';

export default defineConfig({
  test: {
    // Hang detectors, not speed budgets: generous for an idle machine and stretched when it is busy
    // (NEWSBRIEF_TEST_PATIENCE or the load per core), so that a slow machine is slower, never red.
    testTimeout: patience(120_000),
    hookTimeout: patience(180_000),
    // Emulators and Chromium are started per file; two workers match the 2-core machines we run on.
    maxWorkers: 2,
    projects: [
      // Pure tests with fakes share one module graph per worker: loading zod, nodemailer or MJML once instead of
      // once per file makes `npm run test:unit` seconds instead of a minute. None stubs globals or mocks modules.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false } },
      {
        extends: true,
        test: {
          name: 'emulators',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, 'test/unit/**'],
          // Finds or installs moto_server, cfn-lint and Chromium once per run; see test/support/global-setup.ts.
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
    ],
  },
});
