import { describe, it } from "vitest";
import { counterRoundTrip } from "../../test/support/counter-checks";

describe("relay counters on SQLite", () => {
  it("count in one statement, keep every concurrent addition, take a refused limit back, and read back through the ORM; the activity flush writes what the Relay page reads", async () => {
    await counterRoundTrip();
  });
});
