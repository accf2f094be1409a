"use server";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { adminAction } from "@/lib/auth/guard";
import { testEmailConfiguration } from "@/lib/mail/test-email";
import type { EmailTestRunView } from "@/lib/mail/client-safe/types";

/** No input: the test always runs on what is saved (the form offers to save first). */
const testEmailInput = z.object({}).strict();

/**
 * Test Email Configuration: runs the checks on the saved settings, stores the run (last 20) and
 * returns it with the refreshed history. A failing check is a normal result (ok: true, run.ok false).
 */
export const testEmailConfigurationAction = adminAction(
  "testEmailConfiguration",
  testEmailInput,
  async (_input, admin): Promise<{ ok: true; data: { run: EmailTestRunView; history: EmailTestRunView[] } }> => {
    const data = await testEmailConfiguration(admin);
    // The run may have marked a connection "needs re-authorization", and the setup checklist reads
    // the last run: the page's server parts are refreshed with this answer.
    revalidatePath("/settings", "layout");
    return { ok: true, data };
  },
);
