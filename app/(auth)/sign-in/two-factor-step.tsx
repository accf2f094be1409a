"use client";
import { useState } from "react";
import { Field } from "@/app/components/field";
import { Banner } from "@/app/components/banner";

type Kind = "totp" | "backup";

const PATHS: Record<Kind, string> = {
  totp: "/api/auth/two-factor/verify-totp",
  backup: "/api/auth/two-factor/verify-backup-code",
};

/** The sign-in's second step (better-auth's twoFactor plugin): a code from the app, or a backup code once. */
export function TwoFactorStep({ next, onRestart }: { next: string; onRestart: (why: string) => void }) {
  const [kind, setKind] = useState<Kind>("totp");
  const [code, setCode] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const submit = async (event: React.FormEvent) => {
    event.preventDefault();
    const typed = kind === "totp" ? code.replace(/\s/g, "") : code.trim();
    if (!typed) {
      setError(
        kind === "totp" ? "Enter the 6-digit code from your authenticator app." : "Enter one of your backup codes.",
      );
      return;
    }
    setPending(true);
    setError(null);
    let res: Response;
    try {
      res = await fetch(PATHS[kind], {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ code: typed }),
      });
    } catch {
      setPending(false);
      setError("The server did not answer. Check your connection and try again.");
      return;
    }
    if (res.ok) {
      window.location.assign(next);
      return;
    }
    setPending(false);
    const body = (await res.json().catch(() => ({}))) as { code?: string };
    if (body.code === "INVALID_TWO_FACTOR_COOKIE" || body.code === "TOO_MANY_ATTEMPTS_REQUEST_NEW_CODE") {
      onRestart("The sign-in was not completed in time or had too many wrong codes. Sign in again.");
    } else if (res.status === 429 || body.code === "ACCOUNT_TEMPORARILY_LOCKED") {
      setError("Too many wrong codes. Wait a few minutes and try again.");
    } else if (res.status === 401) {
      setError(
        kind === "totp"
          ? "That code is not right. Try the current code."
          : "That backup code is not valid (each works once).",
      );
    } else {
      setError(`Sign-in failed (HTTP ${res.status}). Try again.`);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Two-factor sign-in" className="auth-card">
      {error ? <Banner kind="err">{error}</Banner> : null}
      <p className="hint hint-lead">
        {kind === "totp"
          ? "Your password was right. Enter the code your authenticator app shows for Mail Connect."
          : "Enter one of the backup codes you saved when you set up two-factor sign-in. Each works once."}
      </p>
      <Field id="two-factor-code" label={kind === "totp" ? "Authentication code" : "Backup code"}>
        {(a) => (
          <input
            {...a}
            inputMode={kind === "totp" ? "numeric" : "text"}
            autoComplete="one-time-code"
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
        )}
      </Field>
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={pending}>
          {pending ? "Checking…" : "Verify"}
        </button>
        <button
          type="button"
          className="btn"
          onClick={() => {
            setKind(kind === "totp" ? "backup" : "totp");
            setCode("");
            setError(null);
          }}
        >
          {kind === "totp" ? "Use a backup code" : "Use the authenticator app"}
        </button>
      </div>
    </form>
  );
}
