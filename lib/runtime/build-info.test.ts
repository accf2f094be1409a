import { describe, expect, it } from "vitest";
import packageJson from "@/package.json";
import { buildInfo } from "@/lib/runtime/build-info";

describe("the version and commit shown to admins", () => {
  it("the version is package.json's; the commit comes from MAIL_CONNECT_COMMIT before the build's file", () => {
    expect(buildInfo({ MAIL_CONNECT_COMMIT: "ABC1234" }, () => "def5678\n")).toEqual({
      version: packageJson.version,
      commit: "abc1234",
    });
    expect(buildInfo({}, () => "def5678\n")).toEqual({ version: packageJson.version, commit: "def5678" });
  });

  it("unknown, or not a commit id: null", () => {
    expect(buildInfo({}, () => null).commit).toBeNull();
    expect(buildInfo({ MAIL_CONNECT_COMMIT: "<script>" }, () => "not a commit").commit).toBeNull();
    expect(buildInfo({ MAIL_CONNECT_COMMIT: " " }, () => "0123456789abcdef0123456789abcdef01234567").commit).toBe(
      "0123456789abcdef0123456789abcdef01234567",
    );
  });
});
