import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** The Content-Security-Policy allows no 'unsafe-inline' styles: markup under app/ carries no style attribute. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.(tsx|jsx)$/.test(name) ? [full] : [];
  });
}

describe("no inline styles", () => {
  it("no file under app/ sets a style= attribute", () => {
    const root = path.resolve(import.meta.dirname, "../app");
    const offenders = sources(root).filter((f) => /\bstyle=\{/.test(readFileSync(f, "utf8")));
    expect(offenders.map((f) => path.relative(root, f))).toEqual([]);
  });
});
