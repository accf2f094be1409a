import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureTls } from "./ca";
import { SandboxContext } from "./context";
import { handleControl } from "./control-api";
import { ControlApiError } from "./control-client";
import { buildSeedData, SEED_SHARED_MAILBOX, SEED_USERS } from "./seed";
import { startSandbox, type RunningSandbox } from "./start";
import { DATA_FILE_NAME, Store } from "./store";
import { TokenSigner } from "./tokens";

let dir: string;
let sb: RunningSandbox;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "m365-sandbox-control-"));
  sb = await startSandbox({ dataDir: dir });
});
afterAll(async () => {
  await sb.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("control API", () => {
  it("answers loopback clients only", async () => {
    const store = new Store(dir, () => buildSeedData());
    const ctx = new SandboxContext(store, new TokenSigner(dir), await ensureTls(dir));
    const req = Object.assign(new PassThrough(), {
      method: "GET",
      headers: {},
      socket: { remoteAddress: "192.0.2.10" },
    });
    req.end();
    let status = 0;
    let body = "";
    const res = {
      writeHead(s: number) {
        status = s;
        return this;
      },
      end(text: string) {
        body = text;
      },
    };
    await handleControl(
      ctx,
      req as unknown as IncomingMessage,
      res as unknown as ServerResponse,
      "/_sandbox/state",
      new URLSearchParams(),
    );
    expect(status).toBe(403);
    expect(body).toContain("loopback");
  });

  it("persists the directory in the data file and survives a restart; reset goes back to the seed", async () => {
    await sb.control.addUser({ email: "new.user@contoso.test", password: "pw-1", displayName: "New User" });
    await sb.control.setMailboxImap(SEED_USERS.approvals.email, false);
    const file = JSON.parse(readFileSync(join(dir, DATA_FILE_NAME), "utf8")) as {
      users: Array<{ userPrincipalName: string }>;
    };
    expect(file.users.map((u) => u.userPrincipalName)).toContain("new.user@contoso.test");
    await sb.stop();
    sb = await startSandbox({ dataDir: dir });
    const state = await sb.control.state();
    expect(state.users.map((u) => u.email)).toContain("new.user@contoso.test");
    expect((await sb.control.mailbox(SEED_USERS.approvals.email)).imapEnabled).toBe(false);
    await sb.control.reset();
    const after = await sb.control.state();
    expect(after.users.map((u) => u.email)).not.toContain("new.user@contoso.test");
    expect((await sb.control.mailbox(SEED_USERS.approvals.email)).imapEnabled).toBe(true);
    expect((await sb.control.mailbox(SEED_SHARED_MAILBOX.email)).fullAccess).toEqual([SEED_USERS.delegate.email]);
  });

  it("reports bad input and unknown objects as errors", async () => {
    await expect(sb.control.mailbox("nobody@contoso.test")).rejects.toMatchObject({ status: 404 });
    await expect(sb.control.setLatency({ smtp: -5 })).rejects.toBeInstanceOf(ControlApiError);
    await expect(sb.control.addUser({ email: SEED_USERS.mailer.email, password: "x" })).rejects.toMatchObject({
      status: 409,
    });
  });
});
