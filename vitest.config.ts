import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.{ts,tsx}", "commands/**/*.test.ts", "test/**/*.test.{ts,tsx}"],
    // Suites that need a Docker engine run only from .ci/run (npm run test:docker).
    exclude: ["test/docker/**", "node_modules/**", "dist/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
