import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { test as base, expect, type Browser, type BrowserContext } from "@playwright/test";
import { APP_URL, INLINE_STYLE_REPORT } from "./stack-config";

/**
 * Every spec imports `test` from here: each browser context of a test (the test's own and any it opens
 * with browser.newContext) reports the `securitypolicyviolation` events of the app's pages, and the test
 * fails on any. Inline `style=` attributes (`style-src-attr`) are being moved to CSS on another branch:
 * until it is merged they are tolerated and listed in test-results/csp-inline-style-<port>.txt.
 */
export const TOLERATE_INLINE_STYLE_VIOLATIONS = true; // lead: set to false once the inline-style branch is merged

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

function isInlineStyle(v: Violation): boolean {
  return v.directive === "style-src-attr" || (v.directive === "style-src-elem" && v.blocked === "inline");
}

export const test = base.extend<{ cspViolations: Violation[] }>({
  cspViolations: [
    async ({ context, browser }, use, testInfo) => {
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
      const inline = app.filter(isInlineStyle);
      if (inline.length > 0) {
        mkdirSync(path.dirname(INLINE_STYLE_REPORT), { recursive: true });
        appendFileSync(
          INLINE_STYLE_REPORT,
          inline.map((v) => `${testInfo.title}\t${new URL(v.page).pathname}\t${v.directive}\t${v.sample}\n`).join(""),
        );
        testInfo.annotations.push({
          type: "CSP inline style",
          description: `${inline.length} style-src-attr violation(s)${TOLERATE_INLINE_STYLE_VIOLATIONS ? " (tolerated until the inline-style branch is merged)" : ""}`,
        });
      }
      const failing = TOLERATE_INLINE_STYLE_VIOLATIONS ? app.filter((v) => !isInlineStyle(v)) : app;
      expect(failing, "Content-Security-Policy violations on the app's pages").toEqual([]);
    },
    { auto: true },
  ],
});
