import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: new URL("..", import.meta.url).pathname,
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/helpers/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // One Worker and one database serve every file; files run in parallel
    // because each test makes its own team.
    fileParallelism: true,
    maxWorkers: 4,
  },
});
