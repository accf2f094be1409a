/**
 * What the HTTPS server process (scripts/server.ts, bundled on its own) and the Next.js server runtime
 * (instrumentation.ts → lib/runtime/on-server-start.ts) hand each other in the one process: the server's
 * certificate, and the work to finish on SIGTERM. Kept on `globalThis` under registered symbols because the
 * two are separate bundles (each with its own copy of this module); the lib code itself — the database
 * client, the relay — lives only in the Next.js runtime.
 */
export type ServerTls = { key: string; cert: string };

const TLS = Symbol.for("mail-connect.server-tls");
const STOP_HOOKS = Symbol.for("mail-connect.stop-hooks");

type Slots = { [TLS]?: Promise<ServerTls>; [STOP_HOOKS]?: (() => Promise<void>)[] };
const slots = globalThis as typeof globalThis & Slots;

/** The server process: the certificate it serves with (also the relay's STARTTLS certificate). */
export function provideServerTls(tls: Promise<ServerTls>): void {
  slots[TLS] = tls;
}

/** The certificate the server process serves with, or null outside it (tests, scripts). */
export function serverTls(): Promise<ServerTls> | null {
  return slots[TLS] ?? null;
}

/** Work to finish before the process exits on SIGTERM (the relay's sessions in flight). */
export function onProcessStop(hook: () => Promise<void>): void {
  slots[STOP_HOOKS] = [...(slots[STOP_HOOKS] ?? []), hook];
}

/** Runs every stop hook; resolves when all have finished (failures are logged, not thrown). */
export async function runProcessStopHooks(): Promise<void> {
  await Promise.all(
    (slots[STOP_HOOKS] ?? []).map((hook) =>
      hook().catch((error: unknown) =>
        console.error("[stop] could not finish:", error instanceof Error ? error.message : error),
      ),
    ),
  );
}
