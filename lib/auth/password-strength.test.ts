import { describe, expect, it } from "vitest";
import { passwordProblem } from "@/lib/auth/password-strength";

describe("passwordProblem: the one password rule (≥ 12 characters, not easy to guess)", () => {
  it("refuses short passwords", () => {
    expect(passwordProblem("Xk9#2")).toMatch(/at least 12 characters/);
  });

  it.each(["password1234", "123456789012", "qwertyuiopas", "aaaaaaaaaaaa", "iloveyou2024!"])(
    "refuses the common or patterned %s",
    (password) => {
      expect(passwordProblem(password)).toMatch(/too easy to guess/);
    },
  );

  it("refuses a password built from the administrator's own email or name", () => {
    const related = ["erin.admin@contoso.test", "Erin Admin"];
    expect(passwordProblem("erin.admin@contoso.test", related)).toMatch(/too easy to guess/);
    expect(passwordProblem("ErinAdminErinAdmin", related)).toMatch(/too easy to guess/);
    expect(passwordProblem("mailconnect2024", related)).toMatch(/too easy to guess/);
  });

  it("accepts long, unpredictable passwords", () => {
    expect(passwordProblem("e2e-Admin-password-1")).toBeNull();
    expect(passwordProblem("correct horse battery staple")).toBeNull();
    expect(passwordProblem("T7#qv!Lm2@xZp9")).toBeNull();
  });
});
