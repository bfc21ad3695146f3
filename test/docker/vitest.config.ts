import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * Suites that need a real Docker engine: `npm run build && bash scripts/with-dockerd.sh vitest run
 * --config test/docker/vitest.config.ts`. One file at a time: they share the engine and its ports.
 */
export default defineConfig({
  test: {
    root: fileURLToPath(new URL("../..", import.meta.url)),
    include: ["test/docker/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 600_000,
    hookTimeout: 900_000,
  },
});
