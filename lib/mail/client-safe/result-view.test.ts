import { describe, expect, it } from "vitest";
import { hintParts, nextStep, orderCards } from "@/lib/mail/client-safe/result-view";
import type { CheckCard, EmailTestRunView } from "@/lib/mail/client-safe/types";

const card = (id: CheckCard["id"], status: CheckCard["status"], extra: Partial<CheckCard> = {}): CheckCard => ({
  id,
  name: id,
  status,
  ok: status === "ok",
  ms: 1,
  phases: [],
  summary: "",
  serverResponse: null,
  hint: null,
  ...extra,
});
const run = (cards: CheckCard[], status: EmailTestRunView["status"] = "done"): EmailTestRunView => ({
  id: "r",
  createdAt: new Date(0).toISOString(),
  userEmail: "a@contoso.test",
  status,
  ok: cards.every((c) => c.ok),
  durationMs: 1,
  cards,
});

describe("result cards", () => {
  it("splits a fix into prose and the parts to copy, naming PowerShell commands", () => {
    expect(hintParts("Do this: `Users → Mail` or `Set-CASMailbox -Identity a -X $false` then wait.")).toEqual([
      { kind: "text", text: "Do this:" },
      { kind: "code", text: "Users → Mail", what: "admin center steps" },
      { kind: "text", text: "or" },
      { kind: "code", text: "Set-CASMailbox -Identity a -X $false", what: "PowerShell command" },
      { kind: "text", text: "then wait." },
    ]);
  });

  it("puts failures first, then what did not run, then what passed", () => {
    const ordered = orderCards([card("smtp-token", "ok"), card("smtp", "skipped"), card("imap", "failed")]);
    expect(ordered.map((c) => c.id)).toEqual(["imap", "smtp", "smtp-token"]);
  });

  it("says where the fix happens: the admin center, the settings, both, Re-Authorize", () => {
    const atMicrosoft = card("smtp", "failed", {
      hint: "Enable it in the Microsoft 365 admin center: `Users → Save`.",
    });
    expect(nextStep(run([atMicrosoft]))).toContain(
      "the fix is in the Microsoft 365 admin center, not in these settings",
    );
    expect(nextStep(run([atMicrosoft]))).not.toContain("save, then test again");
    const inSettings = card("smtp", "failed", {
      hint: "Wrong host.",
      links: [{ label: "SMTP host", href: "/settings/email#smtpHost" }],
    });
    expect(nextStep(run([inSettings]))).toContain("change the settings it links to, save, then test again.");
    const both = card("smtp", "failed", {
      hint: "Leave From blank, or grant Send As in the Exchange admin center: `Recipients`",
      links: [{ label: "From address", href: "/settings/email#smtpFrom" }],
    });
    expect(nextStep(run([both]))).toContain(
      "either change the settings it links to and save, or make the change in the Exchange admin center",
    );
    expect(nextStep(run([card("smtp-token", "failed", { reauthorize: "smtp" })]))).toContain(
      "Re-Authorize the mailbox shown below, then test again.",
    );
    expect(nextStep(run([card("smtp", "ok"), card("imap", "cancelled")], "cancelled"))).toBe(
      "Cancelled: 1 of 2 checks finished before the test stopped. Test again when you are ready.",
    );
  });
});
