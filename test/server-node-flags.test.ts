import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { serverNodeFlags, serverStartArgs } from "../scripts/server-node-flags.mjs";

describe("serverNodeFlags", () => {
  it("reads the flags of npm start from package.json", () => {
    expect(serverNodeFlags()).toEqual(["--max-semi-space-size=2", "--v8-pool-size=1"]);
    expect(serverStartArgs()).toEqual([...serverNodeFlags(), "scripts/start.mjs"]);
  });

  it("are flags this Node.js accepts (a misspelt one stops the server from starting)", () => {
    const result = spawnSync(process.execPath, [...serverNodeFlags(), "-e", "process.exit(0)"], { encoding: "utf8" });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });
});
