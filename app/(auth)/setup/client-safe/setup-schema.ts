import type { z } from "zod";
import { setupSchema } from "@/lib/auth/client-safe/admin-schema";
import { serverBaseUrlField } from "@/lib/settings/client-safe/general-schema";

/**
 * The first-run setup form: the one-time code, the first administrator, and the Server Base URL,
 * prefilled with the origin the form is being completed from (so that setup over a DNS name makes that
 * name a trusted origin) and editable before submitting.
 */
export const setupFormSchema = setupSchema.extend({ serverBaseUrl: serverBaseUrlField });
export type SetupFormInput = z.input<typeof setupFormSchema>;
