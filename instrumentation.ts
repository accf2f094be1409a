/** Runs once when the Next.js server starts (inside the server runtime). */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const [{ onServerStart }, { publishEdgeSettings }] = await Promise.all([
    import("@/lib/runtime/on-server-start"),
    import("@/lib/http/edge-settings"),
  ]);
  publishEdgeSettings();
  await onServerStart();
}
