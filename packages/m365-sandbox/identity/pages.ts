import { escapeHtml as h } from "./http";

/**
 * The HTML pages of the sandbox's sign-in experience. The primary button comes first in each form,
 * so pressing Enter in a field submits it (implicit submission uses the first submit button). Real forms with labelled fields and named
 * buttons, so people and Playwright can use them: "Email", "Password", "Sign in", one button per
 * signed-in account (its name contains the email), "Use another account", "Accept", "Cancel".
 */

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#f2f2f2;margin:0;color:#1b1b1b}
main{max-width:440px;margin:48px auto;background:#fff;padding:32px 40px;box-shadow:0 2px 6px rgba(0,0,0,.2)}
.brand{font-weight:600;color:#555;margin-bottom:16px}
.brand span{background:#0067b8;color:#fff;padding:2px 6px;margin-right:6px;border-radius:2px}
h1{font-size:1.5rem;font-weight:600;margin:0 0 12px}
label{display:block;margin-top:14px;font-size:.95rem}
input[type=email],input[type=password],input[type=text]{display:block;width:100%;box-sizing:border-box;padding:8px;margin-top:4px;border:1px solid #666;font-size:1rem}
.actions{display:flex;gap:8px;justify-content:flex-start;margin-top:24px}
button{padding:8px 20px;font-size:1rem;border:1px solid #8a8886;background:#fff;cursor:pointer}
button.primary{background:#0067b8;color:#fff;border-color:#0067b8}
button:focus-visible{outline:3px solid #000;outline-offset:2px}
.error{color:#a4262c;margin-top:12px}
ul.accounts{list-style:none;padding:0;margin:0}
ul.accounts li{margin:6px 0}
ul.accounts button{width:100%;text-align:left;display:flex;flex-direction:column}
.muted{color:#605e5c;font-size:.85rem}
.details{font-family:ui-monospace,monospace;font-size:.8rem;background:#f6f6f6;padding:8px;word-break:break-all}
`;

export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title><style>${STYLE}</style></head>
<body><main>
<div class="brand" aria-hidden="true"><span>M365</span>Sandbox identity platform</div>
${body}
</main></body></html>`;
}

export interface SignInPageInput {
  action: string;
  ctx: string;
  appName: string;
  loginHint: string;
  error?: string;
}

export function signInPage(p: SignInPageInput): string {
  return layout(
    "Sign in to your account",
    `<h1>Sign in</h1>
<p>to continue to <strong>${h(p.appName)}</strong></p>
<form method="post" action="${h(p.action)}">
<input type="hidden" name="ctx" value="${h(p.ctx)}">
${p.error ? `<p class="error" role="alert" id="error">${h(p.error)}</p>` : ""}
<label for="login">Email</label>
<input id="login" name="login" type="email" autocomplete="username" required value="${h(p.loginHint)}"${p.error ? ' aria-describedby="error"' : ""}>
<label for="passwd">Password</label>
<input id="passwd" name="passwd" type="password" autocomplete="current-password" required>
<div class="actions">
<button type="submit" name="action" value="signin" class="primary">Sign in</button>
<button type="submit" name="action" value="cancel" formnovalidate>Cancel</button>
</div>
</form>`,
  );
}

export interface PickerAccount {
  userId: string;
  email: string;
  displayName: string;
}

export function accountPickerPage(p: {
  action: string;
  ctx: string;
  appName: string;
  accounts: PickerAccount[];
}): string {
  const items = p.accounts
    .map(
      (a) =>
        `<li><button type="submit" name="action" value="pick:${h(a.userId)}"><span>${h(a.displayName)}</span> <span class="muted">${h(a.email)}</span> <span class="muted">Signed in</span></button></li>`,
    )
    .join("\n");
  return layout(
    "Pick an account",
    `<h1>Pick an account</h1>
<p>to continue to <strong>${h(p.appName)}</strong></p>
<form method="post" action="${h(p.action)}">
<input type="hidden" name="ctx" value="${h(p.ctx)}">
<ul class="accounts">
${items}
<li><button type="submit" name="action" value="another">Use another account</button></li>
</ul>
<div class="actions"><button type="submit" name="action" value="cancel">Cancel</button></div>
</form>`,
  );
}

export interface ConsentPermission {
  scope: string;
  description: string;
}

export function consentPage(p: {
  action: string;
  ctx: string;
  appName: string;
  userEmail: string;
  permissions: ConsentPermission[];
  offerOrgConsent: boolean;
  adminConsent: boolean;
}): string {
  const list = p.permissions
    .map((x) => `<li><strong>${h(x.description)}</strong><br><span class="muted">${h(x.scope)}</span></li>`)
    .join("\n");
  return layout(
    "Permissions requested",
    `<h1>Permissions requested${p.adminConsent ? " for your organization" : ""}</h1>
<p class="muted">${h(p.userEmail)}</p>
<p><strong>${h(p.appName)}</strong> needs permission to:</p>
<ul>${list}</ul>
<form method="post" action="${h(p.action)}">
<input type="hidden" name="ctx" value="${h(p.ctx)}">
${
  p.offerOrgConsent
    ? '<label><input type="checkbox" name="org" value="1"> Consent on behalf of your organization</label>'
    : ""
}
<p class="muted">Accepting these permissions means that you allow this app to use your data as specified.</p>
<div class="actions">
<button type="submit" name="action" value="consent-accept" class="primary">Accept</button>
<button type="submit" name="action" value="consent-cancel">Cancel</button>
</div>
</form>`,
  );
}

export function errorPage(p: {
  code: number;
  message: string;
  traceId: string;
  correlationId: string;
  timestamp: string;
}): string {
  return layout(
    `Sign in error AADSTS${p.code}`,
    `<h1>Sorry, but we’re having trouble signing you in.</h1>
<p id="error-message" role="alert">AADSTS${p.code}: ${h(p.message)}</p>
<dl class="details">
<dt>Request Id</dt><dd>${h(p.traceId)}</dd>
<dt>Correlation Id</dt><dd>${h(p.correlationId)}</dd>
<dt>Timestamp</dt><dd>${h(p.timestamp)}</dd>
<dt>Message</dt><dd>AADSTS${p.code}</dd>
</dl>`,
  );
}

export function formPostPage(action: string, fields: Record<string, string>): string {
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${h(k)}" value="${h(v)}">`)
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Working...</title></head>
<body onload="document.forms[0].submit()"><form method="post" action="${h(action)}">${inputs}
<noscript><p>Script is disabled. Click Submit to continue.</p><button type="submit">Submit</button></noscript></form></body></html>`;
}

export function signedOutPage(): string {
  return layout(
    "Signed out",
    `<h1>You signed out of your account</h1><p>It’s a good idea to close all browser windows.</p>`,
  );
}

export function adminConsentDonePage(): string {
  return layout(
    "Consent granted",
    `<h1>Permissions granted</h1><p>The administrator granted the requested permissions for the organization.</p>`,
  );
}

export function indexPage(origin: string, tenants: Array<{ id: string; domain: string }>): string {
  const rows = tenants
    .map(
      (t) =>
        `<li>${h(t.domain)} (${h(t.id)}): <a href="${h(`${origin}/${t.id}/v2.0/.well-known/openid-configuration`)}">OpenID configuration</a></li>`,
    )
    .join("");
  return layout("Microsoft 365 sandbox", `<h1>Microsoft 365 sandbox</h1><ul>${rows}</ul>`);
}
