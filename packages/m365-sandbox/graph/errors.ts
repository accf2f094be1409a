import type { ServerResponse } from "node:http";
import { newGuid } from "../util";

/**
 * Microsoft Graph's error answers: `{ "error": { "code", "message", "innerError": { "date",
 * "request-id", "client-request-id" } } }` (Graph REST API: "Microsoft Graph error responses and
 * resource types").
 */

export type GraphError = { status: number; code: string; message: string; headers?: Record<string, string> };

export const GRAPH_ERRORS = {
  noToken: (): GraphError => ({
    status: 401,
    code: "InvalidAuthenticationToken",
    message: "Access token is empty.",
  }),
  badToken: (why: string): GraphError => ({ status: 401, code: "InvalidAuthenticationToken", message: why }),
  accessDenied: (): GraphError => ({
    status: 403,
    code: "ErrorAccessDenied",
    message: "Access is denied. Check credentials and try again.",
  }),
  sendAsDenied: (): GraphError => ({
    status: 403,
    code: "ErrorSendAsDenied",
    message:
      "The user account which was used to submit this request does not have the right to send mail on behalf of the specified sending account., Cannot submit message.",
  }),
  invalidUser: (who: string): GraphError => ({
    status: 404,
    code: "ErrorInvalidUser",
    message: `The requested user '${who}' is invalid.`,
  }),
  mailboxNotEnabled: (): GraphError => ({
    status: 404,
    code: "MailboxNotEnabledForRESTAPI",
    message: "The mailbox is either inactive, soft-deleted, or is hosted on-premise.",
  }),
  tooLarge: (): GraphError => ({
    status: 413,
    code: "ErrorMessageSizeExceeded",
    message: "The message exceeds the maximum supported size.",
  }),
  invalidMime: (): GraphError => ({
    status: 400,
    code: "ErrorMimeContentInvalidBase64String",
    message: "Invalid base64 string for MIME content.",
  }),
  badRequest: (message: string): GraphError => ({ status: 400, code: "ErrorInvalidRequest", message }),
  noRecipients: (): GraphError => ({
    status: 400,
    code: "ErrorInvalidRecipients",
    message: "At least one recipient is not valid., Recipient is missing.",
  }),
  throttled: (retryAfterSeconds: number): GraphError => ({
    status: 429,
    code: "ApplicationThrottled",
    message: "Application is over its MailboxConcurrency limit.",
    headers: { "retry-after": String(retryAfterSeconds) },
  }),
  unavailable: (): GraphError => ({
    status: 503,
    code: "ServiceUnavailable",
    message: "The service is temporarily unavailable. Please retry later.",
    headers: { "retry-after": "5" },
  }),
  notFound: (): GraphError => ({
    status: 400,
    code: "BadRequest",
    message: "Resource not found for the segment.",
  }),
  methodNotAllowed: (): GraphError => ({
    status: 405,
    code: "Request_BadRequest",
    message: "Specified HTTP method is not allowed for the request target.",
  }),
};

export function sendGraphError(res: ServerResponse, e: GraphError, clientRequestId: string | null): void {
  const requestId = newGuid();
  const body = JSON.stringify({
    error: {
      code: e.code,
      message: e.message,
      innerError: {
        date: new Date().toISOString().replace(/\.\d{3}Z$/, ""),
        "request-id": requestId,
        "client-request-id": clientRequestId ?? requestId,
      },
    },
  });
  res.writeHead(e.status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body).toString(),
    "request-id": requestId,
    ...(clientRequestId ? { "client-request-id": clientRequestId } : {}),
    ...(e.headers ?? {}),
  });
  res.end(body);
}
