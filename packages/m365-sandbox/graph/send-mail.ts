import type { IncomingMessage, ServerResponse } from "node:http";
import type { SandboxContext } from "../context";
import { maySendAs } from "../mail-auth";
import type { MailboxRecord } from "../store";
import { isGuid, newGuid, sleep } from "../util";
import { authenticateGraph, hasPermission, type GraphCaller } from "./auth";
import { GRAPH_ERRORS, sendGraphError, type GraphError } from "./errors";
import {
  composeJsonMessage,
  decodeMimeBody,
  readMessage,
  withFrom,
  withoutBcc,
  type JsonMessage,
} from "./mime-message";

/**
 * Microsoft Graph `POST /v1.0/users/{id | userPrincipalName}/sendMail` and `POST /v1.0/me/sendMail`
 * (on the identity server's HTTPS listener, under `/v1.0/`): a MIME body (`Content-Type: text/plain`,
 * the message base64-encoded) or a JSON body (`{ message, saveToSentItems }`); `202 Accepted` with no
 * body, the message delivered into the sandbox mailboxes (others to the outbox) and saved to Sent Items.
 *
 * Permissions as Graph checks them: delegated `Mail.Send` for the signed-in user's own mailbox,
 * `Mail.Send.Shared` (and Send As) for another mailbox; application `Mail.Send` for any mailbox of the
 * token's tenant. Requests over 4 MB are refused (413), as Graph's request size limit.
 */

export const GRAPH_MAX_REQUEST_BYTES = 4 * 1024 * 1024;

export type GraphCallRecord = {
  at: string;
  path: string;
  mailbox: string | null;
  caller: "delegated" | "app" | null;
  contentType: string;
  status: number;
  code: string | null;
  recipients: string[];
};

class Refusal extends Error {
  constructor(readonly graph: GraphError) {
    super(graph.code);
  }
}

async function readLimited(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  let over = false;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > GRAPH_MAX_REQUEST_BYTES) over = true;
    else chunks.push(b);
  }
  return over ? null : Buffer.concat(chunks);
}

/** The mailbox a `/users/{x}` segment names: a user by object id or UPN, or a mailbox by address. */
function targetMailbox(ctx: SandboxContext, caller: GraphCaller, segment: string | null): MailboxRecord {
  const tenantId = caller.kind === "app" ? caller.tenantId : caller.user.tenantId;
  if (segment === null) {
    if (caller.kind === "app")
      throw new Refusal(GRAPH_ERRORS.badRequest("/me request is only valid with delegated authentication flow."));
    const own = ctx.store.mailboxOfUser(caller.user.id);
    if (!own) throw new Refusal(GRAPH_ERRORS.mailboxNotEnabled());
    return own;
  }
  const user = isGuid(segment) ? ctx.store.userById(segment) : ctx.store.userByUpn(segment);
  if (user && user.tenantId === tenantId) {
    const mailbox = ctx.store.mailboxOfUser(user.id);
    if (!mailbox) throw new Refusal(GRAPH_ERRORS.mailboxNotEnabled());
    return mailbox;
  }
  const mailbox = isGuid(segment) ? undefined : ctx.store.mailbox(segment);
  if (!mailbox || mailbox.tenantId !== tenantId) throw new Refusal(GRAPH_ERRORS.invalidUser(segment));
  return mailbox;
}

function checkPermission(caller: GraphCaller, mailbox: MailboxRecord): void {
  if (caller.kind === "app") {
    if (!hasPermission(caller.roles, "Mail.Send")) throw new Refusal(GRAPH_ERRORS.accessDenied());
    return;
  }
  const own = mailbox.ownerUserId === caller.user.id;
  if (own) {
    if (!hasPermission(caller.scopes, "Mail.Send") && !hasPermission(caller.scopes, "Mail.Send.Shared"))
      throw new Refusal(GRAPH_ERRORS.accessDenied());
    return;
  }
  // Another user's or a shared mailbox: Mail.Send.Shared and the mailbox's Send As (or FullAccess) permission.
  if (!hasPermission(caller.scopes, "Mail.Send.Shared")) throw new Refusal(GRAPH_ERRORS.accessDenied());
  if (!maySendAs(caller.user, mailbox) && !mailbox.fullAccess.includes(caller.user.id))
    throw new Refusal(GRAPH_ERRORS.accessDenied());
}

/** The From: must be the mailbox of the request, or one the signed-in user may send as. */
function checkFrom(ctx: SandboxContext, caller: GraphCaller, mailbox: MailboxRecord, from: string[]): void {
  for (const address of from) {
    const m = ctx.store.mailbox(address);
    if (m?.address === mailbox.address) continue;
    if (
      caller.kind === "delegated" &&
      m &&
      hasPermission(caller.scopes, "Mail.Send.Shared") &&
      maySendAs(caller.user, m)
    )
      continue;
    throw new Refusal(GRAPH_ERRORS.sendAsDenied());
  }
}

async function messageOf(
  req: IncomingMessage,
  body: Buffer,
  mailbox: MailboxRecord,
): Promise<{ raw: Buffer; save: boolean }> {
  const type = String(req.headers["content-type"] ?? "").toLowerCase();
  if (type.startsWith("text/plain")) {
    const raw = decodeMimeBody(body.toString("latin1"));
    if (!raw) throw new Refusal(GRAPH_ERRORS.invalidMime());
    return { raw, save: true };
  }
  if (type.startsWith("application/json")) {
    let json: { message?: JsonMessage; saveToSentItems?: unknown };
    try {
      json = JSON.parse(body.toString("utf8")) as typeof json;
    } catch {
      throw new Refusal(
        GRAPH_ERRORS.badRequest(
          "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.",
        ),
      );
    }
    if (!json || typeof json !== "object" || !json.message || typeof json.message !== "object")
      throw new Refusal(GRAPH_ERRORS.badRequest("Empty Payload. JSON content expected."));
    const composed = await composeJsonMessage(json.message, mailbox.address);
    if (typeof composed === "string") throw new Refusal(GRAPH_ERRORS.badRequest(composed));
    return { raw: composed, save: json.saveToSentItems !== false };
  }
  throw new Refusal(GRAPH_ERRORS.badRequest("Content-Type must be application/json or text/plain (base64 MIME)."));
}

function deliver(ctx: SandboxContext, mailbox: MailboxRecord, raw: Buffer, recipients: string[], save: boolean): void {
  const delivered = withoutBcc(raw);
  const external: string[] = [];
  for (const address of recipients) {
    const target = ctx.store.mailbox(address);
    if (target) ctx.store.deliver(target, "INBOX", delivered);
    else external.push(address);
  }
  if (external.length > 0) {
    ctx.store.data.outbox.push({
      id: newGuid(),
      receivedAt: new Date().toISOString(),
      mailFrom: mailbox.address,
      rcptTo: external,
      authenticatedAs: `graph:${mailbox.address}`,
      raw: delivered.toString("base64"),
    });
  }
  if (save) ctx.store.deliver(mailbox, "Sent Items", raw, ["\\Seen"]);
  ctx.store.saveSoon();
}

const SEND_MAIL = /^\/v1\.0\/(?:me|users\/([^/]+))\/sendmail$/i;

/** Answers a `/v1.0/…` request (Graph); false when the path is not Graph's. */
export async function handleGraph(
  ctx: SandboxContext,
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
): Promise<boolean> {
  if (!/^\/v1\.0\//i.test(path)) return false;
  const clientRequestId =
    typeof req.headers["client-request-id"] === "string" ? req.headers["client-request-id"] : null;
  const record: GraphCallRecord = {
    at: new Date().toISOString(),
    path,
    mailbox: null,
    caller: null,
    contentType: String(req.headers["content-type"] ?? ""),
    status: 0,
    code: null,
    recipients: [],
  };
  ctx.graphCalls.push(record);
  const fail = (e: GraphError) => {
    record.status = e.status;
    record.code = e.code;
    sendGraphError(res, e, clientRequestId);
    return true;
  };
  const match = SEND_MAIL.exec(path);
  const body = await readLimited(req);
  if (!match) return fail(GRAPH_ERRORS.notFound());
  if ((req.method ?? "GET") !== "POST") return fail(GRAPH_ERRORS.methodNotAllowed());
  await sleep(ctx.latency.http);
  const fault = ctx.graphFaultNow();
  if (fault?.mode === "throttled") return fail(GRAPH_ERRORS.throttled(fault.retryAfterSeconds));
  if (fault?.mode === "unavailable") return fail(GRAPH_ERRORS.unavailable());
  if (body === null) return fail(GRAPH_ERRORS.tooLarge());
  const caller = authenticateGraph(ctx, req.headers.authorization);
  if ("status" in caller) return fail(caller);
  record.caller = caller.kind;
  try {
    const mailbox = targetMailbox(ctx, caller, match[1] === undefined ? null : decodeURIComponent(match[1]));
    record.mailbox = mailbox.address;
    checkPermission(caller, mailbox);
    const { raw: asked, save } = await messageOf(req, body, mailbox);
    let message = readMessage(asked);
    if (message.from.length === 0) message = readMessage(withFrom(asked, mailbox.address));
    checkFrom(ctx, caller, mailbox, message.from);
    if (message.recipients.length === 0) return fail(GRAPH_ERRORS.noRecipients());
    record.recipients = message.recipients;
    deliver(ctx, mailbox, message.raw, message.recipients, save);
  } catch (err) {
    if (err instanceof Refusal) return fail(err.graph);
    throw err;
  }
  record.status = 202;
  const requestId = newGuid();
  res.writeHead(202, {
    "content-length": "0",
    "request-id": requestId,
    ...(clientRequestId ? { "client-request-id": clientRequestId } : {}),
  });
  res.end();
  return true;
}
