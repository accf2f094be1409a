import { FOREIGN_ORIGINS, picker, prng } from "./fuzz-cases";
import { APP_URL } from "./stack-config";

/** One submission of the fuzz test (e2e/fuzz.check.ts). */
export type Case = {
  target: string;
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
};

/** The route handlers' and pages' malformed requests (seeded, like the actions' ones). */
export function routeCases(seed: number): Case[] {
  const random = prng(seed + 1);
  const pick = picker(random);
  const cases: Case[] = [];
  const junk = () => pick(["", "x", "\u0000", "é😀", "a".repeat(3000), "%ZZ", "<script>", "smtp%00", "../"]);
  for (let i = 0; i < 12; i++) {
    const form = new URLSearchParams({
      role: pick(["", "pop3", "SMTP", "smtp\u0000", "x".repeat(500)]),
      acceptAccount: junk(),
      confirmAlias: junk(),
    });
    cases.push({
      target: "POST /api/oauth/authorize",
      kind: "form mutation",
      method: "POST",
      path: "/api/oauth/authorize",
      headers: { origin: APP_URL, "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
  }
  for (const origin of FOREIGN_ORIGINS) {
    cases.push({
      target: "POST /api/oauth/authorize",
      kind: "foreign Origin",
      method: "POST",
      path: "/api/oauth/authorize",
      headers: { origin, "content-type": "application/x-www-form-urlencoded" },
      body: "role=smtp",
    });
  }
  for (const body of ["{]", '{"role":"smtp"}', "role=smtp&role=imap"]) {
    cases.push({
      target: "POST /api/oauth/authorize",
      kind: "odd body",
      method: "POST",
      path: "/api/oauth/authorize",
      headers: {
        origin: APP_URL,
        "content-type": pick(["application/json", "text/plain", "multipart/form-data; boundary=q"]),
      },
      body,
    });
  }
  for (let i = 0; i < 10; i++) {
    const q = new URLSearchParams({
      code: junk(),
      state: junk(),
      error: pick(["", "access_denied", junk()]),
      error_description: junk(),
    });
    cases.push({
      target: "GET /flexdeploy/rest/v2/oauth",
      kind: "query mutation",
      method: "GET",
      path: `/flexdeploy/rest/v2/oauth?${q}`,
      headers: {},
    });
    cases.push({
      target: "GET /settings/email",
      kind: "banner query",
      method: "GET",
      path: `/settings/email?oauth_error=${encodeURIComponent(junk())}&error=${encodeURIComponent(junk())}&oauth=${encodeURIComponent(junk())}`,
      headers: {},
    });
    cases.push({
      target: "GET /sign-in",
      kind: "next mutation",
      method: "GET",
      path: `/sign-in?next=${encodeURIComponent(junk())}`,
      headers: {},
    });
  }
  for (const p of ["/sign-in/email", "/sign-out", "/update-user", "/get-session"]) {
    cases.push({
      target: `POST /api/auth${p}`,
      kind: "foreign Origin",
      method: "POST",
      path: `/api/auth${p}`,
      headers: { origin: pick(FOREIGN_ORIGINS), "content-type": "application/json" },
      body: "{}",
    });
  }
  return cases;
}
