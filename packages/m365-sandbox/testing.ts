import { request } from "node:https";

/**
 * Helpers for tests that drive the sandbox's sign-in pages without a browser: a cookie jar, a
 * request that does not follow redirects, and `completeAuthorize`, which walks the HTML pages
 * (sign-in form, account picker, consent) like a user would and returns the redirect to the app.
 */

/** smtp-server's server (a dependency of the sandbox, not of the app), for tests that need a misbehaving SMTP server of their own. */
export { SMTPServer } from "smtp-server";

export class CookieJar {
  private readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  store(setCookie: string[] | undefined): void {
    for (const line of setCookie ?? []) {
      const [pair, ...attrs] = line.split(";");
      const eq = (pair ?? "").indexOf("=");
      if (eq <= 0 || !pair) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get size(): number {
    return this.cookies.size;
  }
}

export interface RawResponse {
  status: number;
  location: string | null;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

export function httpsRequest(
  url: string,
  options: {
    ca: string;
    jar?: CookieJar;
    method?: "GET" | "POST";
    form?: Record<string, string>;
    headers?: Record<string, string>;
  },
): Promise<RawResponse> {
  const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (body !== undefined) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    headers["content-length"] = Buffer.byteLength(body).toString();
  }
  const cookie = options.jar?.header();
  if (cookie) headers.cookie = cookie;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? (body ? "POST" : "GET"), ca: options.ca, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          options.jar?.store(res.headers["set-cookie"]);
          resolve({
            status: res.statusCode ?? 0,
            location: typeof res.headers.location === "string" ? res.headers.location : null,
            body: Buffer.concat(chunks).toString("utf8"),
            headers: res.headers,
          });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function decodeEntities(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

export type SandboxPage =
  | { kind: "sign-in"; action: string; ctx: string; loginHint: string; error: string | null }
  | { kind: "picker"; action: string; ctx: string; accounts: Array<{ value: string; label: string }> }
  | { kind: "consent"; action: string; ctx: string; permissions: string[] }
  | { kind: "error"; message: string }
  | { kind: "other"; html: string };

export function parsePage(html: string): SandboxPage {
  const action = decodeEntities(/<form method="post" action="([^"]*)"/.exec(html)?.[1] ?? "");
  const ctx = decodeEntities(/name="ctx" value="([^"]*)"/.exec(html)?.[1] ?? "");
  const errorMessage = /<p id="error-message" role="alert">([\s\S]*?)<\/p>/.exec(html);
  if (errorMessage?.[1]) return { kind: "error", message: decodeEntities(errorMessage[1]) };
  if (html.includes('name="passwd"')) {
    return {
      kind: "sign-in",
      action,
      ctx,
      loginHint: decodeEntities(/id="login" name="login"[^>]*value="([^"]*)"/.exec(html)?.[1] ?? ""),
      error: /role="alert" id="error">([\s\S]*?)<\/p>/.exec(html)?.[1] ?? null,
    };
  }
  if (html.includes("<h1>Pick an account</h1>")) {
    const accounts = [...html.matchAll(/value="(pick:[^"]+)">([\s\S]*?)<\/button>/g)].map((m) => ({
      value: m[1] ?? "",
      label: decodeEntities(
        (m[2] ?? "")
          .replace(/<[^>]+>/g, "")
          .replace(/\s+/g, " ")
          .trim(),
      ),
    }));
    return { kind: "picker", action, ctx, accounts };
  }
  if (html.includes("<h1>Permissions requested")) {
    const permissions = [...html.matchAll(/<span class="muted">([^<]+)<\/span><\/li>/g)].map((m) =>
      decodeEntities(m[1] ?? ""),
    );
    return { kind: "consent", action, ctx, permissions };
  }
  return { kind: "other", html };
}

export interface AuthorizeUser {
  /** What to do on the sign-in form. */
  email?: string;
  password?: string;
  /** Which account to pick on the account picker (default: `email`); 'another' to use another account. */
  pick?: string;
  /** What to do on the consent page (default accept). */
  consent?: "accept" | "cancel";
  /** Cancel on the sign-in page. */
  cancelSignIn?: boolean;
}

export interface AuthorizeOutcome {
  /** The redirect to the app (code/state/client_info or error…). */
  redirect: URL;
  /** The pages shown on the way, in order. */
  pages: SandboxPage["kind"][];
}

/** Follow an authorize URL through the sandbox's pages until it redirects to the app. */
export async function completeAuthorize(
  authorizeUrl: string,
  options: { ca: string; jar: CookieJar; user?: AuthorizeUser },
): Promise<AuthorizeOutcome> {
  const origin = new URL(authorizeUrl).origin;
  const pages: SandboxPage["kind"][] = [];
  let res = await httpsRequest(authorizeUrl, { ca: options.ca, jar: options.jar });
  for (let step = 0; step < 10; step++) {
    if (res.status === 302 && res.location) {
      const target = new URL(res.location, origin);
      if (target.origin !== origin) return { redirect: target, pages };
      res = await httpsRequest(target.toString(), { ca: options.ca, jar: options.jar });
      continue;
    }
    const page = parsePage(res.body);
    pages.push(page.kind);
    const user = options.user ?? {};
    const post = (form: Record<string, string>, action: string) =>
      httpsRequest(new URL(action, origin).toString(), { ca: options.ca, jar: options.jar, form });
    switch (page.kind) {
      case "error":
        throw new Error(`sandbox error page: ${page.message}`);
      case "other":
        throw new Error(`unexpected page: ${page.html.slice(0, 300)}`);
      case "sign-in":
        if (page.error && step > 0 && pages.filter((p) => p === "sign-in").length > 1)
          throw new Error(`sign-in failed: ${page.error}`);
        if (user.cancelSignIn) res = await post({ ctx: page.ctx, action: "cancel" }, page.action);
        else {
          if (!user.email || user.password === undefined) throw new Error("the sign-in page needs email and password");
          res = await post({ ctx: page.ctx, action: "signin", login: user.email, passwd: user.password }, page.action);
        }
        break;
      case "picker": {
        const want = user.pick ?? user.email;
        const account =
          want && want !== "another"
            ? page.accounts.find((a) => a.label.toLowerCase().includes(want.toLowerCase()))
            : undefined;
        res = await post({ ctx: page.ctx, action: account ? account.value : "another" }, page.action);
        break;
      }
      case "consent":
        res = await post(
          { ctx: page.ctx, action: user.consent === "cancel" ? "consent-cancel" : "consent-accept" },
          page.action,
        );
        break;
    }
  }
  throw new Error("too many steps in the authorize flow");
}
