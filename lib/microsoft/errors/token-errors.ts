import type { MailRole } from "@/lib/microsoft/client-safe/mail-roles";
import { describeTranslated, type TranslatedError } from "@/lib/microsoft/errors/translate";

/** Why a role's Microsoft token could not be had: what the check cards, actions and keep-alive tell apart. */

/** The stored authorization can no longer give tokens: an admin must Re-Authorize. */
export class NeedsReauthorizationError extends Error {
  constructor(
    message: string,
    readonly role: MailRole,
    readonly code?: string,
  ) {
    super(message);
    this.name = "NeedsReauthorizationError";
  }
}

/** The role is not set up for Microsoft OAuth, or nobody has authorized it yet. */
export class NotConnectedError extends Error {
  constructor(
    message: string,
    readonly role: MailRole,
  ) {
    super(message);
    this.name = "NotConnectedError";
  }
}

/** Microsoft refused for a reason that re-authorizing does not fix (wrong secret, outage, timeout). */
export class MicrosoftTokenError extends Error {
  constructor(
    readonly translated: TranslatedError,
    readonly role: MailRole,
  ) {
    super(describeTranslated(translated));
    this.name = "MicrosoftTokenError";
  }
}
