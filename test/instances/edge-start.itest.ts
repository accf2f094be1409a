/**
 * Issue 11, items 5 and 6, against real processes (needs the production build, like the two-instance
 * test): the SQLite files are 0600 when DATA_DIR already exists wider (server start and admin:create),
 * and `npm run demo` listens on 127.0.0.1 only. Ports: INSTANCE_A_PORT for the server; the demo uses
 * INSTANCE_B_PORT and the E2E sandbox ports (the browser suite runs after this one).
 */
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, statSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startInstance } from "./support";

const PORT_A = Number(process.env.INSTANCE_A_PORT || 6550);
const PORT_B = Number(process.env.INSTANCE_B_PORT || 6551);
const modeOf = (file: string) => statSync(file).mode & 0o777;

function wideDataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "edge-data-"));
  chmodSync(dir, 0o755);
  return dir;
}

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 3000 });
    const answer = (connected: boolean) => {
      socket.destroy();
      resolve(connected);
    };
    socket.once("connect", () => answer(true));
    socket.once("error", () => answer(false));
    socket.once("timeout", () => answer(false));
  });
}

describe("SQLite files in a DATA_DIR that exists with mode 0755", () => {
  it("the server's start creates the database, WAL and SHM files 0600", async () => {
    const dir = wideDataDir();
    const instance = await startInstance("modes", PORT_A, { DATA_DIR: dir, DATABASE_URL: "" });
    try {
      // The app's own connection (the first-run setup code is written after "serving") creates the WAL and SHM.
      const deadline = Date.now() + 20_000;
      while (!/one-time setup code/.test(instance.log()) || !existsSync(path.join(dir, "mail-connect.db-wal"))) {
        if (Date.now() > deadline) throw new Error(`no setup code or WAL file within 20 s:\n${instance.log()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      for (const f of ["mail-connect.db", "mail-connect.db-wal", "mail-connect.db-shm"]) {
        expect(modeOf(path.join(dir, f)), f).toBe(0o600);
      }
    } finally {
      await instance.stop();
    }
  });

  it("admin:create on an empty DATA_DIR creates them 0600 too", () => {
    const dir = wideDataDir();
    const run = spawnSync(
      process.execPath,
      ["--import", "tsx", "--conditions=react-server", "scripts/admin-create.ts", "--email", "modes@contoso.test"],
      {
        env: { ...process.env, DATA_DIR: dir, DATABASE_URL: "", ADMIN_PASSWORD: "a long modes passphrase" },
        encoding: "utf8",
        timeout: 120_000,
      },
    );
    expect(run.status, run.stderr).toBe(0);
    expect(modeOf(path.join(dir, "mail-connect.db"))).toBe(0o600);
  });
});

describe("npm run demo", () => {
  it("listens on 127.0.0.1 only and says so in its guide", async () => {
    const external = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === "IPv4" && !i.internal)?.address;
    expect(external, "this machine needs a non-loopback IPv4 address for this test").toBeTruthy();
    let out = "";
    const demo = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", "scripts/demo.ts"], {
      env: {
        ...process.env,
        PORT: String(PORT_B),
        SANDBOX_IDENTITY_PORT: process.env.E2E_IDENTITY_PORT || "3643",
        SANDBOX_SMTP_PORT: process.env.E2E_SMTP_PORT || "3625",
        SANDBOX_IMAP_PORT: process.env.E2E_IMAP_PORT || "3693",
        DEMO_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "demo-app-")),
        SANDBOX_DATA_DIR: mkdtempSync(path.join(os.tmpdir(), "demo-sandbox-")),
        SKIP_BUILD: "1",
        DATABASE_URL: "",
        MAIL_CONNECT_KEEPALIVE: "off",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    demo.stdout.on("data", (c: Buffer) => (out += c.toString()));
    demo.stderr.on("data", (c: Buffer) => (out += c.toString()));
    try {
      const deadline = Date.now() + 90_000;
      while (!/Mail Connect demo/.test(out)) {
        if (demo.exitCode !== null) throw new Error(`demo exited with ${demo.exitCode}:\n${out}`);
        if (Date.now() > deadline) throw new Error(`demo did not start within 90 s:\n${out}`);
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(out).toContain("listens on 127.0.0.1 only");
      expect(await connects("127.0.0.1", PORT_B)).toBe(true);
      expect(await connects(external!, PORT_B), `the demo answered on ${external}`).toBe(false);
    } finally {
      const exited = new Promise<void>((r) => demo.once("exit", () => r()));
      demo.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (demo.exitCode === null && demo.signalCode === null) demo.kill("SIGKILL");
    }
  });
});
