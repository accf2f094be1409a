import { formatUtc } from "@/lib/format/client-safe/utc";

/** The mail that carries an invitation link (also shown in the dialog, for copying by hand). */
export function invitationMessage(input: { link: string; expiresAt: Date; invitedBy: string }) {
  return {
    subject: "You are invited to administer Mail Connect",
    text: [
      `${input.invitedBy} invited you to become an administrator of Mail Connect.`,
      "",
      "Open this link to choose your name and password (it works once):",
      input.link,
      "",
      `The link expires at ${formatUtc(input.expiresAt, "minute")}. If you did not expect it, ignore this message.`,
    ].join("\n"),
  };
}

/** Where an invitation link points: the Server Base URL, or the origin the inviting admin uses. */
export function invitationLink(base: string, token: string): string {
  return `${base.replace(/\/+$/, "")}/invite/${token}`;
}
