/** Runs once when the Next.js server starts (inside the server runtime). */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { onServerStart } = await import("@/lib/runtime/on-server-start");
  await onServerStart();
}
