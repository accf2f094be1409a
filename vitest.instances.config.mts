import { defineConfig } from "vitest/config";
import base from "./vitest.config.mts";

/**
 * Tests that need a production build and real processes (two app instances on PostgreSQL): `npm test`
 * runs them after `next build`. Ports: INSTANCE_A_PORT / INSTANCE_B_PORT (default 6550/6551).
 */
export default defineConfig({
  resolve: base.resolve,
  test: {
    ...base.test,
    include: ["test/instances/**/*.itest.ts"],
    testTimeout: 90_000,
    hookTimeout: 150_000,
    fileParallelism: false,
  },
});
