import net from "node:net";
import { describe, expect, it } from "vitest";
import type { RunningSandbox } from "@mail-connect/m365-sandbox";
import { runChecks, useConnectedMailStack } from "../../test/support/mail-checks";

/**
 * Truthful SMTP phases (issue 11, item 15): where a misbehaving server stops is the phase the card
 * names, and a server that answers too slowly is not one that never answered.
 */
let sandbox: RunningSandbox;
useConnectedMailStack((started) => {
  sandbox = started;
});

/** A TCP server that runs `onConnection` for each client; closes every socket on close(). */
async function misbehavingServer(
  onConnection: (socket: net.Socket) => void,
): Promise<{ port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("error", () => undefined);
    s.on("close", () => sockets.delete(s));
    onConnection(s);
  });
  server.on("close", () => {
    for (const t of timers) clearInterval(t);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

describe("SMTP phases", () => {
  it("a server that greets and then stays silent is reported in greeting/EHLO, not TLS", async () => {
    const server = await misbehavingServer((s) => s.write("220 silent.test ESMTP ready\r\n"));
    try {
      const smtp = (
        await runChecks(sandbox, { change: { smtpPort: server.port, connectTimeoutMs: 1000, overallTimeoutMs: 2000 } })
      ).card("smtp");
      expect(smtp.ms).toBeLessThan(3000); // stopped by the overall timeout
      expect(smtp.ok).toBe(false);
      expect(smtp.phases.map((p) => p.name)).not.toContain("TLS");
      expect(smtp.phases.at(-1)).toMatchObject({ name: "greeting/EHLO", ok: false });
      expect(smtp.summary).toContain("greeting/EHLO");
      expect(smtp.summary).not.toMatch(/TLS|never answered/);
      expect(smtp.serverResponse).toBe("220 silent.test ESMTP ready");
    } finally {
      await server.close();
    }
  });

  it("a server dripping 220- lines is too slow, not silent", async () => {
    const server = await misbehavingServer((s) => {
      s.write("220-drip.test ESMTP\r\n");
      const timer = setInterval(() => s.write("220-still greeting you\r\n"), 150);
      s.on("close", () => clearInterval(timer));
    });
    try {
      const smtp = (
        await runChecks(sandbox, { change: { smtpPort: server.port, connectTimeoutMs: 1000, overallTimeoutMs: 3000 } })
      ).card("smtp");
      expect(smtp.ok).toBe(false);
      expect(smtp.summary).toBe(
        `Too slow: 127.0.0.1:${server.port} started its greeting but did not finish it within 1 s.`,
      );
      expect(smtp.summary).not.toContain("never answered");
      expect(smtp.phases.at(-1)).toMatchObject({ name: "greeting/EHLO", ok: false });
      expect(smtp.serverResponse).toContain("220-drip.test ESMTP");
    } finally {
      await server.close();
    }
  });
});
