import "@/lib/http/client-safe/zod-without-eval"; // first: before any schema is built
import { z } from "zod";

const password = z
  .string({ error: "Enter your password" })
  .min(1, "Enter your password")
  .max(128, "At most 128 characters");

/** Start enrolment (or disable): the admin's password, checked by the auth library. */
export const twoFactorPasswordSchema = z.object({ password });

/** The first code from the authenticator app: six digits (spaces ignored). */
export const twoFactorCodeSchema = z.object({
  code: z
    .string({ error: "Enter the 6-digit code from your authenticator app" })
    .transform((v) => v.replace(/\s/g, ""))
    .pipe(z.string().regex(/^\d{6}$/, "Enter the 6-digit code from your authenticator app")),
});

/** What the enrolment start gives the browser once: the QR code, the secret as text, the backup codes. */
export type TwoFactorEnrolment = { qrDataUrl: string; secret: string; backupCodes: string[] };
