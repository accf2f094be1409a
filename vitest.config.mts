import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: {
    tsconfigPaths: true,
    // `server-only` throws outside React Server Components; the unit tests run server code directly.
    alias: { "server-only": path.resolve(import.meta.dirname, "test/support/server-only-stub.ts") },
  },
  test: {
    environment: "node",
    include: ["lib/**/*.test.ts", "app/**/*.test.ts", "test/**/*.test.ts", "packages/*/**/*.test.ts"],
    setupFiles: ["test/support/isolated-data-dir.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
