/**
 * The rule for every password an administrator chooses, as the forms show it; the server checks it
 * (lib/auth/password-strength.ts: length in the form schemas, strength with zxcvbn-ts).
 */
export const PASSWORD_RULE = "At least 12 characters, not easy to guess.";
