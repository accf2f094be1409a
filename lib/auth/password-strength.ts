import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as english from "@zxcvbn-ts/language-en";
import { PASSWORD_MIN } from "@/lib/auth/client-safe/admin-schema";

/**
 * The one password rule, wherever a password is set (first-run setup, `npm run admin:create`, an
 * invitation, an initial or reset password, changing your own): at least 12 characters (the form's
 * schema) and not easy to guess, as zxcvbn-ts estimates it with its common and English dictionaries.
 * It runs on the server only: the dictionaries are megabytes, too much for every admin page's bundle;
 * its answer comes back as the password field's error.
 */
export const MIN_STRENGTH_SCORE = 3; // zxcvbn's 0..4: 3 is "safely unguessable: moderate protection from offline attacks"

let estimator: ZxcvbnFactory | null = null;
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    translations: english.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...english.dictionary },
  });
  return estimator;
}

/**
 * Why `password` is refused, or null when it is acceptable. `related` are words the password must not
 * lean on (the administrator's email and name, the product's name).
 */
export function passwordProblem(password: string, related: (string | null | undefined)[] = []): string | null {
  if (password.length < PASSWORD_MIN) return `Password must be at least ${PASSWORD_MIN} characters`;
  const inputs = ["mail connect", "mailconnect", ...related.flatMap((r) => (r ? [r, ...r.split(/[@.\s_-]+/)] : []))];
  const result = zxcvbn().check(
    password.slice(0, 128),
    inputs.filter((w) => w.length >= 3),
  );
  if (result.score >= MIN_STRENGTH_SCORE) return null;
  const why = [result.feedback.warning, ...result.feedback.suggestions].filter(Boolean).join(" ");
  return `This password is too easy to guess.${why ? ` ${why}` : " Add more words or characters."}`;
}

/** The action's answer when `password` breaks the rule (as the `field`'s error), or null. */
export function weakPasswordResult(
  field: string,
  password: string,
  related: (string | null | undefined)[] = [],
): { ok: false; error: string; fieldErrors: Record<string, string> } | null {
  const problem = passwordProblem(password, related);
  return problem ? { ok: false, error: "Some fields need attention.", fieldErrors: { [field]: problem } } : null;
}
