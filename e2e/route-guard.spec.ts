import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { expect, test, type APIRequestContext } from "./support/csp-fixture";
import { APP_URL } from "./support/stack-config";

/**
 * Every page, route handler and server action in app/ is refused when signed out, except the public
 * ones listed below. They are found by walking app/ (page.tsx, route.ts, "use server"
 * modules) and, for actions, in the build's server-reference manifest, so a new route or action
 * without the guard makes this test fail.
 */

const APP_DIR = path.resolve("app");
const DIST_DIR = path.resolve(process.env.NEXT_DIST_DIR || ".next");

/** Public by design (sign-in, first-run setup, the auth library's API, health, static assets). */
const PUBLIC_PAGES = new Set(["/sign-in", "/setup", "/invite/[token]"]);
// /api/metrics: protected by its own bearer token (METRICS_TOKEN; 404 when unset, 401 on a wrong one).
const PUBLIC_ROUTES = new Set(["/api/auth/[...all]", "/api/health", "/api/metrics"]);
/** Actions that must work signed out, each with what it does then. */
const PUBLIC_ACTIONS: Record<string, { expect: RegExp; why: string }> = {
  "app/(auth)/setup/actions.ts#completeSetupAction": {
    expect: /setup code is not valid \(or setup is already done\)/,
    why: "protected by the one-time setup code; closed once an admin exists",
  },
  "app/invite/[token]/actions.ts#acceptInvitationAction": {
    expect: /This link is not valid|invitation link is not valid/,
    why: "protected by the invitation's single-use token (72 hours)",
  },
};
/** Signing out needs no session: signed out it only redirects to the sign-in page. */
const SIGN_OUT_ACTION = "app/settings/sign-out-action.ts#signOutAction";

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) walk(full, out);
    else out.push(full);
  }
  return out;
}

/** "app/(auth)/sign-in/page.tsx" → "/sign-in" (route groups dropped). */
function urlPathOf(file: string): string {
  const segments = path
    .relative(APP_DIR, path.dirname(file))
    .split(path.sep)
    .filter((s) => s && !/^\(.*\)$/.test(s));
  return `/${segments.join("/")}`;
}

const files = walk(APP_DIR).filter((f) => /\.(ts|tsx)$/.test(f));
const pages = files.filter((f) => /[/\\]page\.(tsx|ts)$/.test(f)).map(urlPathOf);
const routes = files
  .filter((f) => /[/\\]route\.(ts|tsx)$/.test(f))
  .map((f) => {
    const source = readFileSync(f, "utf8");
    const methods = [
      ...[
        ...source.matchAll(
          /export\s+(?:async\s+function|function|const|let)\s+(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\b/g,
        ),
      ].map((m) => m[1]),
      // export const { GET, POST } = handler(…)
      ...[...source.matchAll(/export\s+const\s*\{([^}]*)\}/g)].flatMap((m) =>
        m[1]
          .split(",")
          .map((n) => n.trim())
          .filter((n) => /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/.test(n)),
      ),
    ];
    return { path: urlPathOf(f), methods };
  });
const actionModules = files
  .filter((f) => /^\s*(?:\/\/[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*["']use server["']/.test(readFileSync(f, "utf8")))
  .map((f) => ({
    file: path.relative(process.cwd(), f).split(path.sep).join("/"),
    exports: [
      ...readFileSync(f, "utf8").matchAll(/export\s+(?:async\s+function\s+|function\s+|const\s+|let\s+)(\w+)/g),
    ].map((m) => m[1]),
  }));

type ManifestEntry = { workers: Record<string, unknown>; filename: string; exportedName: string };
function manifest(): Record<string, ManifestEntry> {
  const m = JSON.parse(readFileSync(path.join(DIST_DIR, "server", "server-reference-manifest.json"), "utf8")) as {
    node: Record<string, ManifestEntry>;
  };
  return m.node;
}

function refusedOrSentToSignIn(res: { status: number; location: string | undefined }): boolean {
  if (res.status === 401 || res.status === 403) return true;
  return res.status >= 300 && res.status < 400 && /^(https:\/\/[^/]+)?\/sign-in(\?|$)/.test(res.location ?? "");
}

async function signedOut(playwright: {
  request: { newContext: (o: object) => Promise<APIRequestContext> };
}): Promise<APIRequestContext> {
  return playwright.request.newContext({
    baseURL: APP_URL,
    ignoreHTTPSErrors: true,
    storageState: { cookies: [], origins: [] },
  });
}

test.describe("signed out, everything but the public entry points is refused", () => {
  test("the walk found the app's pages, route handlers and actions", () => {
    expect(pages).toEqual(
      expect.arrayContaining([
        "/",
        "/sign-in",
        "/setup",
        "/settings/general",
        "/settings/email",
        "/settings/audit",
        "/settings/admins",
        "/settings/account",
        "/invite/[token]",
        "/settings/relay",
        "/settings/status",
      ]),
    );
    expect(routes.map((r) => `${r.methods.join(",")} ${r.path}`)).toEqual(
      expect.arrayContaining(["POST /api/oauth/authorize", "GET /flexdeploy/rest/v2/oauth", "GET /api/health"]),
    );
    for (const r of routes) expect(r.methods.length, `${r.path} exports an HTTP method`).toBeGreaterThan(0);
    expect(actionModules.flatMap((m) => m.exports.map((e) => `${m.file}#${e}`))).toEqual(
      expect.arrayContaining([
        "app/settings/email/actions.ts#saveEmailSettingsAction",
        "app/settings/general/actions.ts#saveGeneralSettingsAction",
        "app/settings/relay/actions.ts#createRelayCredentialAction",
        "app/settings/relay/actions.ts#revokeRelayCredentialAction",
        "app/settings/relay/imap-actions.ts#setImapMailboxesAction",
        "app/settings/status/actions.ts#runChecksNowAction",
        "app/settings/status/actions.ts#saveMonitoringSettingsAction",
        SIGN_OUT_ACTION,
      ]),
    );
  });

  test("every page redirects to sign-in", async ({ playwright }) => {
    const anon = await signedOut(playwright);
    const checked: string[] = [];
    for (const p of pages) {
      if (PUBLIC_PAGES.has(p)) continue;
      const url = p.replace(/\[\[?\.{0,3}(\w+)\]?\]/g, "probe");
      const res = await anon.get(url); // follows redirects (/ → /settings/email → /sign-in)
      expect(new URL(res.url()).pathname, `GET ${url} signed out`).toBe("/sign-in");
      expect(await res.text(), url).toContain("Sign in to Mail Connect");
      checked.push(p);
    }
    expect(checked.length).toBeGreaterThanOrEqual(4);
    await anon.dispose();
  });

  test("the invitation page is public but token-gated: a bad token answers a clear 404 page", async ({
    playwright,
  }) => {
    const anon = await signedOut(playwright);
    for (const token of ["probe", "A".repeat(43), "%E0%A4%A", "..%2f..%2fapi", "a".repeat(3000)]) {
      const res = await anon.get(`/invite/${token}`, { maxRedirects: 0 });
      expect(res.status(), `GET /invite/${token.slice(0, 20)}`).toBeGreaterThanOrEqual(400);
      expect(res.status(), `GET /invite/${token.slice(0, 20)}`).toBeLessThan(500);
      if (res.status() === 404) expect(await res.text()).toContain("This invitation link is not valid");
    }
    const res = await anon.get(`/invite/${"A".repeat(43)}`);
    expect(res.status()).toBe(404);
    expect(await res.text()).toContain("Ask an administrator for a new one");
    await anon.dispose();
  });

  test("every route handler answers 401/403 or sends the browser to sign in", async ({ playwright }) => {
    const anon = await signedOut(playwright);
    let checked = 0;
    for (const r of routes) {
      if (PUBLIC_ROUTES.has(r.path)) continue;
      const url = r.path.replace(/\[\[?\.{0,3}(\w+)\]?\]/g, "probe");
      for (const method of r.methods) {
        // With this server's own Origin, so the refusal comes from the session check, not the CSRF check.
        const res = await anon.fetch(`${url}?code=probe&state=probe`, {
          method,
          headers: { origin: APP_URL },
          form: method === "GET" || method === "HEAD" ? undefined : { role: "smtp" },
          maxRedirects: 0,
        });
        const seen = { status: res.status(), location: res.headers().location };
        expect(refusedOrSentToSignIn(seen), `${method} ${url} signed out → ${seen.status} ${seen.location ?? ""}`).toBe(
          true,
        );
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(4); // authorize, OAuth callback, test email, cancel test
    await anon.dispose();
  });

  test("every server action answers 'Your session has ended' (the public ones do nothing)", async ({ playwright }) => {
    const actions = manifest();
    const anon = await signedOut(playwright);
    let refused = 0;
    for (const mod of actionModules) {
      for (const name of mod.exports) {
        const key = `${mod.file}#${name}`;
        const entry = Object.entries(actions).find(([, e]) => e.filename === mod.file && e.exportedName === name);
        expect(
          entry,
          `${key} is in the build's server-reference manifest (an action no page uses should be deleted)`,
        ).toBeTruthy();
        const [id, e] = entry!;
        const worker = Object.keys(e.workers).find((w) => w.endsWith("/page"))!;
        const pagePath = `/${worker
          .split("/")
          .slice(1, -1)
          .filter((s) => !/^\(.*\)$/.test(s))
          .join("/")}`; // app/(g)/a/page → /a
        const res = await anon.post(pagePath, {
          headers: {
            "next-action": id,
            "content-type": "text/plain;charset=UTF-8",
            accept: "text/x-component",
            origin: APP_URL,
          },
          // Well-formed input for any of them, so a refusal is about the session, not the input.
          data: JSON.stringify([
            {
              role: "smtp",
              serverBaseUrl: "https://evil.example.com",
              version: 0,
              setupCode: "AAAA-BBBB-CCCC-DDDD",
              name: "Probe",
              email: "probe@contoso.test",
              password: "probe-password-1234",
            },
          ]),
          maxRedirects: 0,
        });
        const body = await res.text();
        expect(res.status(), `${key} signed out`).toBeLessThan(500);
        if (key === SIGN_OUT_ACTION) {
          expect(res.headers()["x-action-redirect"] ?? res.headers().location ?? "", key).toMatch(/\/sign-in/);
        } else if (PUBLIC_ACTIONS[key]) {
          expect(body, `${key} (${PUBLIC_ACTIONS[key].why})`).toMatch(PUBLIC_ACTIONS[key].expect);
        } else {
          expect(body, `${key} signed out`).toContain("Your session has ended");
          refused += 1;
        }
      }
    }
    // Test Email Configuration is a route handler now (POST /api/test-email, checked with the routes above).
    expect(refused).toBeGreaterThanOrEqual(4);
    // Nothing in the build that the walk missed (e.g. an action module outside app/).
    const walked = new Set(actionModules.flatMap((m) => m.exports.map((e) => `${m.file}#${e}`)));
    expect(
      Object.values(actions)
        .map((e) => `${e.filename}#${e.exportedName}`)
        .filter((k) => !walked.has(k)),
    ).toEqual([]);
    await anon.dispose();
  });
});
