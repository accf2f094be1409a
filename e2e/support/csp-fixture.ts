import { test as base, expect, type Browser, type BrowserContext } from "@playwright/test";
import { APP_URL } from "./stack-config";

/**
 * Every spec imports `test` from here: each browser context of a test (the test's own and any it opens
 * with browser.newContext) reports the `securitypolicyviolation` events of the app's pages, and the test
 * fails on any (the CSP allows no inline script or style: every style lives in CSS).
 */

export * from "@playwright/test";

type Violation = { page: string; directive: string; blocked: string; sample: string; source: string };

async function watch(context: BrowserContext, into: Violation[]): Promise<void> {
  await context.exposeBinding("__mailConnectCspViolation", ({ frame }, v: Omit<Violation, "page">) => {
    into.push({ page: frame.url(), ...v });
  });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      const report = (window as unknown as { __mailConnectCspViolation: (v: object) => void })
        .__mailConnectCspViolation;
      void report({
        directive: e.effectiveDirective,
        blocked: e.blockedURI,
        sample: e.sample,
        source: `${e.sourceFile}:${e.lineNumber}`,
      });
    });
  });
}

export const test = base.extend<{ cspViolations: Violation[] }>({
  cspViolations: [
    async ({ context, browser }, use) => {
      const seen: Violation[] = [];
      await watch(context, seen);
      const b = browser as Browser & { newContext: Browser["newContext"] };
      const original = b.newContext;
      b.newContext = async (options) => {
        const created = await original.call(browser, options);
        await watch(created, seen);
        return created;
      };
      try {
        await use(seen);
      } finally {
        b.newContext = original;
      }
      const app = seen.filter((v) => v.page.startsWith(APP_URL));
      expect(app, "Content-Security-Policy violations on the app's pages").toEqual([]);
    },
    { auto: true },
  ],
});
