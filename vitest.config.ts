import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    // Fuzzing and the packaging test take seconds; on a busy 2-core CI machine, several times that.
    testTimeout: 60_000,
  },
});
