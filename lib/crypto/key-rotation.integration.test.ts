import { describe, it } from "vitest";
import { rotationRoundTrip } from "../../test/support/key-rotation-checks";

describe("key rotation on SQLite", () => {
  it("re-encrypts every secret with the new key in one transaction; sessions, two-factor secrets and relay credentials survive; a wrong ring is refused", async () => {
    await rotationRoundTrip();
  });
});
