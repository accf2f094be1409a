/**
 * A first look at a request that carries `Next-Action` (a server action call), before Next.js decodes it:
 * Next.js answers 500 for a foreign Origin, an oversized, non-JSON, truncated or binary body, or a React
 * reference string it cannot resolve (`$1:__proto__:then`), before any of our code runs. What passes
 * here is what the app's own clients send: a JSON array of plain values (React's `encodeReply` of plain
 * objects) as text/plain, or a form's multipart body.
 */
export type ActionRefusal = { status: 400 | 403 | 404 | 405 | 413 | 415; error: string };

export const ACTION_BODY_LIMIT = 1024 * 1024;

const PROTOTYPE_KEYS = new Set(["__proto__", "constructor", "prototype"]);
// What encodeReply writes for the plain values our forms send: "$$…" (a string that began with "$")
// and "$undefined". Any other "$…" is a reference (promise, server reference, chunk path…).
const PLAIN_DOLLAR = /^\$(\$|undefined$)/;

export function checkActionHeaders(input: {
  method: string;
  contentType: string | undefined;
  contentLength: string | undefined;
  origin: string | undefined;
  trustedOrigins: readonly string[];
  actionId: string;
  knownActionIds?: ReadonlySet<string>;
}): ActionRefusal | null {
  if (input.method !== "POST") return { status: 405, error: "Server actions are called with POST." };
  if (!input.origin || !input.trustedOrigins.includes(input.origin)) {
    return { status: 403, error: "This request came from another site and was refused." };
  }
  if (!/^[0-9a-f]{6,}$/i.test(input.actionId) || (input.knownActionIds && !input.knownActionIds.has(input.actionId))) {
    return { status: 404, error: "Unknown action: reload the page." };
  }
  const type = (input.contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "text/plain" && type !== "multipart/form-data") {
    return { status: 415, error: "Unsupported content type for a server action." };
  }
  if (type === "multipart/form-data" && !/boundary=/i.test(input.contentType ?? "")) {
    return { status: 400, error: "Malformed form body." };
  }
  if (input.contentLength !== undefined) {
    if (!/^\d+$/.test(input.contentLength)) return { status: 400, error: "Malformed Content-Length." };
    if (Number(input.contentLength) > ACTION_BODY_LIMIT)
      return { status: 413, error: "Request body too large (1 MB at most)." };
  }
  return null;
}

/** The body of a text/plain action call: a JSON array of plain values, no prototype keys, no references. */
export function checkActionJsonBody(body: string): ActionRefusal | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { status: 400, error: "Malformed action body: not JSON." };
  }
  if (!Array.isArray(parsed)) return { status: 400, error: "Malformed action body: arguments must be a list." };
  return plainValue(parsed, 0) ? null : { status: 400, error: "Malformed action body: unsupported value." };
}

function plainValue(value: unknown, depth: number): boolean {
  if (depth > 32) return false;
  if (value === null || typeof value === "number" || typeof value === "boolean") return true;
  if (typeof value === "string") return !value.startsWith("$") || PLAIN_DOLLAR.test(value);
  if (Array.isArray(value)) return value.every((v) => plainValue(v, depth + 1));
  if (typeof value === "object") {
    return Object.keys(value).every(
      (k) => !PROTOTYPE_KEYS.has(k) && plainValue((value as Record<string, unknown>)[k], depth + 1),
    );
  }
  return false;
}
