/**
 * What a route handler's zod schema parses: the query of a GET or HEAD, the form fields of any
 * other method (an empty object when the body is not a form). The first value of a repeated name wins.
 */
export async function requestInput(request: Request): Promise<Record<string, FormDataEntryValue>> {
  const entries =
    request.method === "GET" || request.method === "HEAD"
      ? new URL(request.url).searchParams.entries()
      : ((await request.formData().catch(() => null))?.entries() ?? []);
  const first = new Map<string, FormDataEntryValue>();
  for (const [name, value] of entries) if (!first.has(name)) first.set(name, value);
  return Object.fromEntries(first);
}
