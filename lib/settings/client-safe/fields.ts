import "@/lib/http/client-safe/zod-without-eval"; // first: before any schema is built
import { z } from "zod";

/** Field building blocks shared by the settings schemas. Imports nothing server-only. */

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

const HOSTNAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export function isHostname(value: string): boolean {
  return HOSTNAME.test(value) || IPV4.test(value) || /^\[[0-9a-f:.]+\]$/i.test(value);
}

// C0 and C1 control characters (tab, CR, LF, NUL, DEL…): never part of a host, URL, address or id. `trim()`
// would quietly drop them at the ends and `new URL()` drops tabs and newlines inside, so refuse them first.
const CONTROL_CHARACTER = /\p{Cc}/u;
export const CONTROL_CHARACTER_MESSAGE = "Must not contain control characters (tab, line break…)";

/** A string without control characters, trimmed: the start of every text field. */
export const plainText = (error?: string) =>
  z
    .string(error ? { error } : undefined)
    .refine((v) => !CONTROL_CHARACTER.test(v), { message: CONTROL_CHARACTER_MESSAGE, abort: true })
    .trim();

/**
 * A whole number given as a number or a string of digits: `true`, `null`, `[5]`, `"0x24b"`,
 * `"5.625e3"`, `"Infinity"`, `"1.5"` are refused (no coercion). The number, or null.
 */
function strictWhole(v: number | string): number | null {
  const n = typeof v === "number" ? v : /^\d{1,15}$/.test(v.trim()) ? Number(v.trim()) : Number.NaN;
  return Number.isSafeInteger(n) ? n : null;
}

const wholeNumberInput = (message: string) => z.union([z.number(), z.string()], { error: message });
const wholeMessage = (label: string, min: number, max: number) =>
  `${label} must be a whole number from ${min} to ${max}`;

/** A required whole number from `min` to `max` (see `strictWhole`). */
export const wholeNumber = (label: string, min: number, max: number) =>
  wholeNumberInput(wholeMessage(label, min, max)).transform((v, ctx) => {
    const n = strictWhole(v);
    if (n !== null && n >= min && n <= max) return n;
    ctx.addIssue({ code: "custom", message: wholeMessage(label, min, max) });
    return z.NEVER;
  });

/** The optimistic-concurrency counter a settings form sends back. */
export const versionField = wholeNumber("Version", 0, Number.MAX_SAFE_INTEGER);

/** Optional free text: blank becomes null. */
export const optionalText = (max: number) =>
  plainText()
    .max(max, `At most ${max} characters`)
    .transform((v) => v || null);

export const hostField = (label: string) =>
  plainText()
    .max(253, "At most 253 characters")
    .refine(
      (v) => v === "" || isHostname(v),
      `${label}: enter a host name such as smtp.office365.com, without https:// or a port`,
    )
    .transform((v) => v.toLowerCase() || null);

/** A port: 1 to 65535 (see `strictWhole`); blank becomes null. */
export const portField = (label: string) =>
  wholeNumberInput(wholeMessage(label, 1, 65535)).transform((v, ctx) => {
    if (typeof v === "string" && v.trim() === "") return null;
    const n = strictWhole(v);
    if (n !== null && n >= 1 && n <= 65535) return n;
    ctx.addIssue({ code: "custom", message: wholeMessage(label, 1, 65535) });
    return z.NEVER;
  });

export const emailField = (label: string) =>
  plainText()
    .max(254, "At most 254 characters")
    .refine(
      (v) => v === "" || z.email().safeParse(v).success,
      `${label} must be an email address such as name@contoso.com`,
    )
    .transform((v) => v || null);

export const guidField = (label: string) =>
  plainText()
    .refine(
      (v) => v === "" || GUID.test(v),
      `${label} must be a GUID such as 00000000-0000-0000-0000-000000000000 (Azure: App registrations → Overview)`,
    )
    .transform((v) => v.toLowerCase() || null);

export function isTenantId(value: string): boolean {
  return GUID.test(value) || DOMAIN.test(value) || value === "organizations" || value === "common";
}

export const tenantField = plainText()
  .refine(
    (v) => v === "" || isTenantId(v),
    "Tenant Id must be the Directory (tenant) ID GUID, a verified domain such as contoso.onmicrosoft.com, or organizations / common",
  )
  .transform((v) => v.toLowerCase() || null);

/** A secret field: blank keeps what is stored; `clear` removes it. */
export const secretField = z.string().max(1024, "At most 1024 characters").default("");

/** Validates an https origin (`https://host[:port]`), with http allowed for loopback only when asked. */
export function checkOrigin(value: string, label: string, allowPath: boolean): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `${label} must be an absolute URL such as https://login.microsoftonline.com`;
  }
  if (url.protocol !== "https:") return `${label} must use https://`;
  if (url.username || url.password) return `${label} must not contain a user name or password`;
  if (url.search || url.hash) return `${label} must not contain a query (?…) or fragment (#…)`;
  if (!allowPath && url.pathname !== "/")
    return `${label} must be an origin only (https://host[:port]), without a path`;
  return null;
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** An optional calendar day, YYYY-MM-DD (what `<input type="date">` sends), from 2000 to 2299; blank becomes null. */
export const optionalDay = (label: string) =>
  plainText()
    .refine((v) => {
      if (v === "") return true;
      const m = ISO_DAY.exec(v);
      if (!m) return false;
      const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const day = new Date(Date.UTC(y, mo - 1, d));
      return y >= 2000 && y <= 2299 && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
    }, `${label} must be a date such as 2027-06-30`)
    .transform((v) => v || null);
