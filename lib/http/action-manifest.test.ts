import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadActionManifest } from "@/lib/http/action-manifest";

function distWith(node: object): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "manifest-"));
  mkdirSync(path.join(dir, "server"));
  writeFileSync(path.join(dir, "server", "server-reference-manifest.json"), JSON.stringify({ node, edge: {} }));
  return dir;
}

describe("loadActionManifest", () => {
  const manifest = loadActionManifest(
    distWith({
      aa11: { workers: { "app/(auth)/setup/page": {} } },
      bb22: { workers: { "app/settings/email/page": {}, "app/settings/general/page": {} } },
      cc33: { workers: { "app/page": {}, "app/items/[id]/page": {}, "app/api/x/route": {} } },
    }),
  );

  it("knows the build's action ids and the pages each is posted to (route groups dropped)", () => {
    expect([...manifest.ids]).toEqual(["aa11", "bb22", "cc33"]);
    const matches = (id: string, p: string) => manifest.pagesOf(id).some((r) => r.test(p));
    expect(matches("aa11", "/setup")).toBe(true);
    expect(matches("aa11", "/sign-in")).toBe(false);
    expect(matches("bb22", "/settings/general")).toBe(true);
    expect(matches("bb22", "/settings/audit")).toBe(false);
    expect(matches("cc33", "/")).toBe(true);
    expect(matches("cc33", "/items/42")).toBe(true);
    expect(matches("cc33", "/items/42/more")).toBe(false);
    expect(matches("cc33", "/api/x")).toBe(false);
    expect(manifest.pagesOf("unknown")).toEqual([]);
  });

  it("without a build knows no action (every call is refused)", () => {
    const none = loadActionManifest(mkdtempSync(path.join(os.tmpdir(), "no-build-")));
    expect(none.ids.size).toBe(0);
  });
});
