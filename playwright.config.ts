import { defineConfig, devices } from "@playwright/test";
import { ADMIN_STATE_FILE, APP_URL } from "./e2e/support/stack-config";

const chromium = {
  ...devices["Desktop Chrome"],
  ignoreHTTPSErrors: true,
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  },
};

export default defineConfig({
  testDir: "e2e",
  // The security sweep decrypts what the app stored with lib/crypto, a `server-only` module: stubbed here as in Vitest.
  tsconfig: "./test/support/playwright.tsconfig.json",
  // Per stack port: parallel runs (other checkouts' ports) never clear each other's artifacts.
  outputDir: `test-results/playwright-${process.env.E2E_APP_PORT || 3543}`,
  fullyParallel: false,
  workers: 1, // the settings are single rows: tests that change them run one after another
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  reporter: [
    ["list"],
    ["html", { open: "never", outputFolder: `playwright-report-${process.env.E2E_APP_PORT || 3543}` }],
  ],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: { baseURL: APP_URL, trace: "retain-on-failure", screenshot: "only-on-failure", ...chromium },
  projects: [
    { name: "first-run", testMatch: /first-run\.setup\.ts/ },
    {
      name: "app",
      testMatch: /\.spec\.ts$/,
      testIgnore: /sign-in-throttle/,
      dependencies: ["first-run"],
      use: { storageState: ADMIN_STATE_FILE },
    },
    // After the suite: nothing of it reached port 3000 (e2e/support/port-3000-trap.ts).
    {
      name: "after-suite",
      testMatch: /\.check\.ts$/,
      dependencies: ["app"],
      use: { storageState: ADMIN_STATE_FILE },
    },
    // Last: it exhausts this address's sign-in attempts for a minute.
    { name: "throttle", testMatch: /sign-in-throttle\.spec\.ts$/, dependencies: ["app", "after-suite"] },
    // The sandbox package's own browser tests (its HTML pages), without the app.
    { name: "sandbox", testDir: "packages/m365-sandbox", testMatch: /\.spec\.ts$/ },
  ],
  webServer: {
    command: "npx tsx e2e/support/test-stack.ts",
    url: `${APP_URL}/api/health`,
    ignoreHTTPSErrors: true,
    reuseExistingServer: !process.env.CI,
    timeout: 240_000,
    stdout: "ignore",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
  },
});
