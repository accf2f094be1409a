import { describe, expect, it } from "vitest";
import { graphReply } from "@/lib/relay/graph-upstream";

const http = (status: number, code: string, retryAfterSeconds: number | null = null) =>
  graphReply({ ok: false, kind: "http", status, code, message: "m", retryAfterSeconds, requestId: null });

describe("Graph's answers as the relay's SMTP replies", () => {
  it("202 is 250 'accepted by Microsoft', never 'delivered'", () => {
    const r = graphReply({ ok: true, status: 202, requestId: "abc" });
    expect(r).toMatchObject({ accepted: true, code: 250, fromMicrosoft: true });
    expect(r.text).toBe("2.0.0 Accepted by Microsoft (Graph 202 Accepted request-id abc); delivery is Microsoft's");
  });

  it("permanent refusals carry Graph's code; throttling, outages and token problems are temporary", () => {
    expect(http(403, "ErrorAccessDenied")).toMatchObject({
      code: 550,
      text: "5.7.1 Microsoft Graph refused (403 ErrorAccessDenied): m",
    });
    expect(http(404, "MailboxNotEnabledForRESTAPI").code).toBe(550);
    expect(http(413, "ErrorMessageSizeExceeded").code).toBe(552);
    expect(http(400, "ErrorInvalidRecipients").code).toBe(554);
    expect(http(429, "ApplicationThrottled", 12)).toMatchObject({ code: 451, accepted: false });
    expect(http(429, "ApplicationThrottled", 12).text).toContain("(Retry-After: 12 s)");
    expect(http(503, "ServiceUnavailable").code).toBe(451);
    expect(http(401, "InvalidAuthenticationToken").code).toBe(454);
    expect(
      graphReply({
        ok: false,
        kind: "network",
        status: null,
        code: "ECONNREFUSED",
        message: "x",
        retryAfterSeconds: null,
        requestId: null,
      }),
    ).toMatchObject({ code: 451, fromMicrosoft: false });
    expect(
      graphReply({
        ok: false,
        kind: "too_large",
        status: null,
        code: "ErrorMessageSizeExceeded",
        message: "big",
        retryAfterSeconds: null,
        requestId: null,
      }),
    ).toMatchObject({ code: 552, text: "5.3.4 big" });
  });
});
