import { describe, it } from "vitest";
import { usePostgresDatabase } from "./support/postgres";
import { counterRoundTrip } from "./support/counter-checks";

/** The relay counters (test/support/counter-checks.ts) on a real PostgreSQL 15. */
usePostgresDatabase("counters");

describe("relay counters on PostgreSQL", () => {
  it("count in one statement, keep every concurrent addition, take a refused limit back, and read back through the ORM; the activity flush writes what the Relay page reads", async () => {
    await counterRoundTrip();
  });
});
