// Generates the Prisma clients after install. Prisma's CLI would otherwise try to download its
// native schema engine, which `generate` does not need (see README "Offline install").
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const schemas = ["prisma/schema.prisma", "prisma/postgres/schema.prisma"].filter((s) => existsSync(s));
for (const schema of schemas) {
  const r = spawnSync("npx", ["prisma", "generate", "--schema", schema], {
    stdio: "inherit",
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? "/bin/false",
      PRISMA_HIDE_UPDATE_MESSAGE: "1",
    },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
