import { z } from "zod";

/**
 * Test Email Configuration's input, shared by the recipient field next to the button and the route
 * that runs the test: who receives the test message of this run (default: the signed-in admin).
 */
export const testEmailSchema = z
  .object({
    to: z
      .string()
      .trim()
      .min(1, "Enter the address that receives the test message.")
      .max(254, "That address is too long.")
      .pipe(z.email("Enter an email address, e.g. you@contoso.com."))
      .optional(),
  })
  .strict();

/** Cancel: the run to stop (its id, from the run's first line). */
export const cancelTestSchema = z.object({ id: z.uuid("Unknown test run.") }).strict();
