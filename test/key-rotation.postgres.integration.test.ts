import { describe, it } from "vitest";
import { usePostgresDatabase } from "./support/postgres";
import { rotationRoundTrip } from "./support/key-rotation-checks";

/** The key rotation round trip (test/support/key-rotation-checks.ts) on a real PostgreSQL 15. */
usePostgresDatabase("rotation");

describe("key rotation on PostgreSQL", () => {
  it("re-encrypts every secret with the new key in one transaction; sessions, two-factor secrets and relay credentials survive; a wrong ring is refused", async () => {
    await rotationRoundTrip();
  });
});
