import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SEALED_COLUMNS } from "@/lib/crypto/sealed-columns";

describe("the list of encrypted columns key:rotate re-encrypts", () => {
  it("names every `…Enc` column of the schema, and only those", () => {
    const schema = readFileSync(path.join(process.cwd(), "prisma/schema.prisma"), "utf8");
    const inSchema: string[] = [];
    let model = "";
    for (const line of schema.split("\n")) {
      const header = /^model (\w+) \{/.exec(line);
      if (header) model = header[1]!;
      const field = /^\s+(\w+Enc)\s/.exec(line);
      if (field && model) inSchema.push(`${model}.${field[1]}`);
    }
    expect(inSchema.length).toBeGreaterThan(0);
    expect(SEALED_COLUMNS.map((c) => `${c.table}.${c.column}`).sort()).toEqual(inSchema.sort());
  });
});
