import { describe, expect, it } from "vitest";
import {
  GRAPH_MAX_MIME_BYTES,
  GRAPH_MAX_REQUEST_BYTES,
  headerRecipients,
  sendMailUrl,
  sendWithGraph,
  withEnvelopeBcc,
} from "@/lib/mail/graph-send";

const raw = (header: string) => Buffer.from(`${header}\r\nSubject: s\r\n\r\nbody\r\nTo: not-a-header@x.test\r\n`);
const settings = {
  smtpAuthType: "microsoft",
  smtpUser: "shared@contoso.com",
  smtpSignInAs: "delegate@contoso.com",
  smtpConnectionType: "delegated",
  smtpTransport: "graph",
  msCloud: "usgov",
  customAuthority: null,
  customOutlookResource: null,
};

describe("the Graph send request", () => {
  it("reads To, Cc and Bcc (folded, grouped, named) but not the body", () => {
    expect(
      headerRecipients(
        raw('From: a@x.test\r\nTo: "B" <b@x.test>,\r\n c@x.test\r\nCc: team: d@x.test;\r\nBcc: E@x.test'),
      ),
    ).toEqual(["b@x.test", "c@x.test", "d@x.test", "e@x.test"]);
  });

  it("adds envelope-only recipients as one Bcc header, and leaves a message naming them all unchanged", () => {
    const message = raw("From: a@x.test\r\nTo: b@x.test");
    const out = withEnvelopeBcc(message, ["B@x.test", "z@x.test", "y@x.test", "z@x.test"]);
    expect(out.toString()).toBe(`Bcc: z@x.test, y@x.test\r\n${message.toString()}`);
    expect(withEnvelopeBcc(message, ["b@x.test"])).toBe(message);
  });

  it("posts to the cloud's Graph host, for the sending (shared) mailbox", () => {
    expect(sendMailUrl(settings)).toBe("https://graph.microsoft.us/v1.0/users/shared%40contoso.com/sendMail");
    expect(sendMailUrl({ ...settings, msCloud: "custom", customGraphHost: "https://127.0.0.1:8443/" })).toBe(
      "https://127.0.0.1:8443/v1.0/users/shared%40contoso.com/sendMail",
    );
  });

  it("refuses a message whose base64 would exceed 4 MB before posting anything", async () => {
    expect(Math.ceil(GRAPH_MAX_MIME_BYTES / 3) * 4).toBeLessThanOrEqual(GRAPH_MAX_REQUEST_BYTES);
    const big = Buffer.concat([raw("From: a@x.test\r\nTo: b@x.test"), Buffer.alloc(GRAPH_MAX_MIME_BYTES, 0x61)]);
    const outcome = await sendWithGraph({
      settings: { ...settings, msCloud: "custom", customGraphHost: "https://127.0.0.1:1" },
      accessToken: "t",
      envelopeTo: ["b@x.test"],
      raw: big,
    });
    expect(outcome).toMatchObject({ ok: false, kind: "too_large", code: "ErrorMessageSizeExceeded", status: null });
  });
});
