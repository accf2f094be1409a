import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
// @ts-expect-error -- plain ESM script without types
import { postgresDrift, postgresMigration, postgresSchema } from "../scripts/postgres-schema.mjs";

/** prisma/postgres/ is derived from prisma/ (the source of truth): they cannot drift apart unnoticed. */
describe("PostgreSQL schema and migrations", () => {
  it("match what scripts/postgres-schema.mjs derives from the SQLite schema and migrations", () => {
    expect(postgresDrift(), "run: node scripts/postgres-schema.mjs").toEqual([]);
  });

  it("have the same models, fields and indexes as the SQLite schema (only provider and output differ)", () => {
    const strip = (s: string) =>
      s
        .split("\n")
        .filter((l) => !/^\s*(\/\/|provider|output)/.test(l))
        .join("\n");
    expect(strip(readFileSync("prisma/postgres/schema.prisma", "utf8"))).toBe(
      strip(readFileSync("prisma/schema.prisma", "utf8")),
    );
    expect(postgresSchema(readFileSync("prisma/schema.prisma", "utf8"))).toMatch(/provider = "postgresql"/);
  });

  it("translates SQLite column types and refuses what it cannot translate", () => {
    expect(
      postgresMigration(
        `CREATE TABLE "t" (\n    "a" DATETIME NOT NULL,\n    "b" REAL,\n    "c" TEXT\n);\nALTER TABLE "t" ADD COLUMN "d" DATETIME;`,
      ),
    ).toBe(
      `CREATE TABLE "t" (\n    "a" TIMESTAMP(3) NOT NULL,\n    "b" DOUBLE PRECISION,\n    "c" TEXT\n);\nALTER TABLE "t" ADD COLUMN "d" TIMESTAMP(3);`,
    );
    expect(() => postgresMigration(`PRAGMA foreign_keys=OFF;`, "x")).toThrow(/by hand/);
  });
});
