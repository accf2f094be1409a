import "@/lib/http/client-safe/zod-without-eval"; // first: before any schema is built
import { z } from "zod";
import { isLoopbackHost, plainText, versionField } from "@/lib/settings/client-safe/fields";

export const SERVER_BASE_URL_MAX = 200;

/**
 * Server Base URL: absolute https URL without query or fragment; http only for localhost,
 * 127.0.0.1 and [::1] (as Microsoft allows for redirect URIs). Trailing slashes are removed.
 */
export const serverBaseUrlField = plainText("Server Base URL is required")
  .min(1, "Server Base URL is required")
  .max(SERVER_BASE_URL_MAX, `Server Base URL must be at most ${SERVER_BASE_URL_MAX} characters`)
  .transform((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({
        code: "custom",
        message: "Server Base URL must be an absolute URL such as https://mail-connect.example.com",
      });
      return z.NEVER;
    }
    const fail = (message: string) => {
      ctx.addIssue({ code: "custom", message });
      return z.NEVER;
    };
    if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
      return fail(
        "Server Base URL must use HTTPS: Microsoft only redirects to https:// addresses (http:// is allowed for localhost only)",
      );
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") return fail("Server Base URL must start with https://");
    if (url.username || url.password) return fail("Server Base URL must not contain a user name or password");
    if (url.search || value.includes("?")) return fail("Server Base URL must not contain a query (?…)");
    if (url.hash || value.includes("#")) return fail("Server Base URL must not contain a fragment (#…)");
    return (url.origin + url.pathname).replace(/\/+$/, "");
  });

export const generalSettingsSchema = z.object({
  serverBaseUrl: serverBaseUrlField,
  version: versionField,
});

export type GeneralSettingsInput = z.input<typeof generalSettingsSchema>;
export type GeneralSettingsValues = z.output<typeof generalSettingsSchema>;

/** The saved Server Base URL when it is valid, normalised; null otherwise. */
export function validServerBaseUrl(value: string | null): string | null {
  if (!value) return null;
  const parsed = serverBaseUrlField.safeParse(value);
  return parsed.success ? parsed.data : null;
}
