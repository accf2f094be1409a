import "@/lib/http/client-safe/zod-without-eval"; // first: before any schema is built
import { z } from "zod";

export const PASSWORD_MIN = 12;

export const adminAccountFields = {
  name: z.string().trim().min(1, "Name is required").max(100, "At most 100 characters"),
  email: z.string().trim().toLowerCase().pipe(z.email("Enter an email address such as admin@contoso.com")),
  password: z
    .string()
    .min(PASSWORD_MIN, `Password must be at least ${PASSWORD_MIN} characters`)
    .max(128, "Password must be at most 128 characters"),
};

/** First-run setup: the one-time code printed in the server log, and the first administrator. */
export const setupSchema = z.object({
  setupCode: z.string().trim().min(1, "Enter the setup code from the server log").max(64, "That is not a setup code"),
  ...adminAccountFields,
});
export type SetupInput = z.input<typeof setupSchema>;

export const signInSchema = z.object({
  email: z.string().trim().toLowerCase().pipe(z.email("Enter your email address")),
  password: z.string().min(1, "Enter your password").max(128, "Password must be at most 128 characters"),
});
export type SignInInput = z.input<typeof signInSchema>;
