import "server-only";
import { cache } from "react";
import type { Admin } from "@/lib/auth/session";
import { CHANGE_PASSWORD_PAGE, mustChangePassword, PASSWORD_CHANGE_FIRST } from "@/lib/auth/password-change-required";
import { mustEnrolTwoFactor, TWO_FACTOR_PAGE, TWO_FACTOR_REQUIRED } from "@/lib/auth/two-factor-requirement";

/**
 * What an administrator must do before anything else, in order: change a password another administrator
 * set (an initial or reset password), then set up two-factor when every administrator must have it. The
 * guard sends every other page to the step's page and refuses every other action and route with its text.
 */
export type FirstStep = { page: string; allowedActions: ReadonlySet<string>; refusal: string };

const CHANGE_PASSWORD: FirstStep = {
  page: CHANGE_PASSWORD_PAGE,
  allowedActions: new Set(["changeOwnPassword"]),
  refusal: PASSWORD_CHANGE_FIRST,
};

const ENROL_TWO_FACTOR: FirstStep = {
  page: TWO_FACTOR_PAGE,
  // setting it up, and the password prompt it asks for
  allowedActions: new Set(["startTwoFactorEnrolment", "confirmTwoFactorEnrolment", "confirmPassword"]),
  refusal: TWO_FACTOR_REQUIRED,
};

/** The step this administrator must take first, or null (read once per request). */
export const pendingFirstStep = cache(async (admin: Admin): Promise<FirstStep | null> => {
  if (mustChangePassword(admin)) return CHANGE_PASSWORD;
  if (await mustEnrolTwoFactor(admin)) return ENROL_TWO_FACTOR;
  return null;
});

/** Whether `path` (a page's path, query allowed; null when unknown) is the step's own page. */
export function isStepPage(step: FirstStep, path: string | null | undefined): boolean {
  return (path ?? "").split(/[?#]/)[0] === step.page;
}
