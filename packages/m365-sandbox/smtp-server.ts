import addressparser from "nodemailer/lib/addressparser";
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerSession } from "smtp-server";
import type { SandboxContext } from "./context";
import { APP_ROLE_SMTP, appTokenClaims, checkAppAccessToken } from "./app-only";
import { checkAccessToken, checkPassword, EXCHANGE_SERVER_ID, isSmtpIdentity, maySendAs } from "./mail-auth";
import type { MailboxRecord, UserRecord } from "./store";
import { domainOf, newGuid, sleep } from "./util";

/**
 * SMTP client submission like smtp.office365.com:587: STARTTLS first, then AUTH XOAUTH2 (AUTH
 * LOGIN only for mailboxes switched to password mode), Exchange Online's replies for the
 * usual failures, delivery into sandbox mailboxes or the outbox.
 *
 * Shared mailboxes the way Exchange Online checks them: AUTH XOAUTH2 accepts only the token's own
 * user (its UPN) as `user=`; sending as another mailbox is checked at the end of DATA, for the
 * envelope sender and the From: header alike (Send As, else 550 5.7.60).
 */

export const SMTP_REPLIES = {
  authFailed: `5.7.3 Authentication unsuccessful [${EXCHANGE_SERVER_ID}]`,
  smtpAuthDisabledTenant: `5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [${EXCHANGE_SERVER_ID}]`,
  smtpAuthDisabledMailbox: `5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. [${EXCHANGE_SERVER_ID}]`,
  /** Exchange Online answers AUTH LOGIN with `550 5.7.30 …` since basic auth for SMTP AUTH was retired. */
  sendAsDenied: `5.7.60 SMTP; Client does not have permissions to send as this sender [${EXCHANGE_SERVER_ID}]`,
  notAuthenticated: `5.7.57 Client not authenticated to send mail. [${EXCHANGE_SERVER_ID}]`,
  basicAuthNotSupported: "5.7.30 Basic authentication is not supported for Client Submission.",
  // Exchange Online's answers under load / outage (see the README's rows 39-42)
  unavailable: "4.3.2 Service not available, closing transmission channel",
  busy: `4.7.500 Server busy. Please try again later from [127.0.0.1]. (AS761) [${EXCHANGE_SERVER_ID}]`,
  throttled: `4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded [Hostname=${EXCHANGE_SERVER_ID}]`,
  quotaExceeded: `5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message due to a permanent exception with message [BeginDiagnosticData]Cannot submit message. [Hostname=${EXCHANGE_SERVER_ID}]`,
  recipientNotFound: `5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup [${EXCHANGE_SERVER_ID}]`,
} as const;

interface SessionUser {
  /** The user whose credentials were presented (token's user, or mailbox owner in password mode); "" for an app. */
  userId: string;
  /** App-only (client credentials): the Exchange service principal's object id. */
  servicePrincipalId?: string;
  /** The mailbox authenticated as (`user=` / login name). */
  mailbox: string;
}

function smtpError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

function sessionUser(session: SMTPServerSession): SessionUser | null {
  const u = session.user as unknown;
  return u && typeof u === "object" && "userId" in u ? (u as SessionUser) : null;
}

/** The addresses of the message's From: header (unfolded), lower-cased. */
export function headerFromAddresses(raw: Buffer): string[] {
  const text = raw.toString("utf8");
  const end = text.search(/\r?\n\r?\n/);
  const header = (end >= 0 ? text.slice(0, end) : text).replace(/\r?\n[ \t]+/g, " ");
  const line = header.split(/\r?\n/).find((l) => /^from\s*:/i.test(l));
  if (!line) return [];
  return addressparser(line.replace(/^from\s*:/i, ""), { flatten: true })
    .map((a) => a.address.toLowerCase())
    .filter(Boolean);
}

/** The From: header must name mailboxes the user may send as (a message without one is judged by MAIL FROM alone). */
function headerFromAllowed(ctx: SandboxContext, user: UserRecord, raw: Buffer): boolean {
  return headerFromAddresses(raw).every((address) => {
    const mailbox = ctx.store.mailbox(address);
    return mailbox !== undefined && maySendAs(user, mailbox);
  });
}

export function createSmtpServer(ctx: SandboxContext): SMTPServer {
  const server: SMTPServer = new SMTPServer({
    name: EXCHANGE_SERVER_ID,
    banner: `Microsoft ESMTP MAIL Service ready at ${new Date().toUTCString()}`,
    key: ctx.tls.serverKey,
    cert: ctx.tls.serverCert,
    secure: false,
    // Exchange Online advertises `AUTH LOGIN XOAUTH2`, and only after STARTTLS (see onConnect/onSecure).
    authMethods: ["LOGIN", "XOAUTH2"],
    authRequiredMessage: SMTP_REPLIES.notAuthenticated,
    size: 37748736,
    logger: false,
    closeTimeout: 200,
    disabledCommands: [],
    hidePIPELINING: false,
    onConnect(session, callback) {
      ctx.smtpSessions += 1;
      if (ctx.smtpFaultNow("unavailable")) {
        callback(smtpError(421, SMTP_REPLIES.unavailable));
        return;
      }
      (session as { disabledCommands?: string[] }).disabledCommands = ["AUTH"];
      sleep(ctx.latency.smtp).then(() => callback(), callback);
    },
    onSecure(_socket, session, callback) {
      (session as { disabledCommands?: string[] }).disabledCommands = [];
      callback();
    },
    onAuth(auth: SMTPServerAuthentication, _session, callback) {
      void (async () => {
        await sleep(ctx.latency.smtp);
        const login = auth.username ?? "";
        let userId: string;
        if (auth.method === "XOAUTH2" && appTokenClaims(ctx, auth.accessToken ?? "")) {
          // App-only: SMTP.SendAsApp, the service principal registered in Exchange, FullAccess on the mailbox.
          const check = checkAppAccessToken(ctx, auth.accessToken ?? "", APP_ROLE_SMTP, login);
          if (!check.ok) {
            callback(smtpError(535, SMTP_REPLIES.authFailed));
            return;
          }
          if (!ctx.store.smtpAuthEnabled(check.mailbox)) {
            callback(
              smtpError(
                535,
                check.mailbox.smtpClientAuthenticationDisabled === true
                  ? SMTP_REPLIES.smtpAuthDisabledMailbox
                  : SMTP_REPLIES.smtpAuthDisabledTenant,
              ),
            );
            return;
          }
          const appUser: SessionUser = {
            userId: "",
            servicePrincipalId: check.servicePrincipal.objectId,
            mailbox: check.mailbox.address,
          };
          callback(null, { user: appUser });
          return;
        }
        let mailbox: MailboxRecord | undefined;
        if (auth.method === "XOAUTH2") {
          const check = checkAccessToken(ctx, auth.accessToken ?? "", "SMTP.Send");
          // user= must be the token's own user: a shared mailbox (whatever its permissions) or an
          // address other than the UPN is refused here; Send As applies at submission (onData).
          if (!check.ok || !isSmtpIdentity(check.user, login)) {
            callback(smtpError(535, SMTP_REPLIES.authFailed));
            return;
          }
          userId = check.user.id;
          mailbox = ctx.store.mailboxOfUser(check.user.id);
        } else {
          mailbox = ctx.store.mailbox(login);
          if (!mailbox?.passwordAuthEnabled) {
            callback(smtpError(550, SMTP_REPLIES.basicAuthNotSupported));
            return;
          }
          const ok = checkPassword(ctx, login, auth.password ?? "");
          if (!ok) {
            callback(smtpError(535, SMTP_REPLIES.authFailed));
            return;
          }
          userId = ok.user.id;
        }
        // SMTP AUTH is enabled or disabled for the mailbox of the user who authenticates.
        if (mailbox && !ctx.store.smtpAuthEnabled(mailbox)) {
          callback(
            smtpError(
              535,
              mailbox.smtpClientAuthenticationDisabled === true
                ? SMTP_REPLIES.smtpAuthDisabledMailbox
                : SMTP_REPLIES.smtpAuthDisabledTenant,
            ),
          );
          return;
        }
        const user: SessionUser = { userId, mailbox: login };
        callback(null, { user });
      })().catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
    },
    onMailFrom(_address, session, callback) {
      // Exchange Online accepts MAIL FROM from an authenticated client and refuses a sender it may
      // not send as at the end of DATA (550 5.7.60), see onData.
      sleep(ctx.latency.smtp).then(
        () =>
          callback(
            !sessionUser(session)
              ? smtpError(530, SMTP_REPLIES.notAuthenticated)
              : ctx.smtpFaultNow("busy")
                ? smtpError(451, SMTP_REPLIES.busy)
                : undefined,
          ),
        callback,
      );
    },
    onRcptTo(address, _session, callback) {
      void (async () => {
        await sleep(ctx.latency.smtp);
        const domain = domainOf(address.address);
        if (ctx.store.tenantForDomain(domain) && !ctx.store.mailbox(address.address)) {
          callback(smtpError(550, SMTP_REPLIES.recipientNotFound));
          return;
        }
        callback();
      })().catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("error", (err) => callback(err));
      stream.on("end", () => {
        void (async () => {
          await sleep(ctx.latency.smtp);
          const raw = Buffer.concat(chunks);
          if (ctx.smtpFaultNow("throttled")) {
            callback(smtpError(432, SMTP_REPLIES.throttled));
            return;
          }
          if (ctx.smtpFaultNow("refused")) {
            callback(smtpError(554, SMTP_REPLIES.quotaExceeded));
            return;
          }
          const su = sessionUser(session);
          const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
          const user = su ? ctx.store.userById(su.userId) : undefined;
          const senderMailbox = ctx.store.mailbox(mailFrom);
          // An app sends as the mailbox it authenticated for (envelope and From: header).
          const appMaySend =
            Boolean(su?.servicePrincipalId) &&
            senderMailbox?.address === su?.mailbox &&
            headerFromAddresses(raw).every((a) => ctx.store.mailbox(a)?.address === su?.mailbox);
          if (
            !senderMailbox ||
            !(appMaySend || (user && maySendAs(user, senderMailbox) && headerFromAllowed(ctx, user, raw)))
          ) {
            callback(smtpError(550, SMTP_REPLIES.sendAsDenied));
            return;
          }
          const external: string[] = [];
          for (const rcpt of session.envelope.rcptTo) {
            const mailbox = ctx.store.mailbox(rcpt.address);
            if (mailbox) ctx.store.deliver(mailbox, "INBOX", raw);
            else external.push(rcpt.address);
          }
          if (external.length > 0) {
            ctx.store.data.outbox.push({
              id: newGuid(),
              receivedAt: new Date().toISOString(),
              mailFrom,
              rcptTo: external,
              authenticatedAs: su?.mailbox ?? "",
              raw: raw.toString("base64"),
            });
          }
          ctx.store.deliver(senderMailbox, "Sent Items", raw, ["\\Seen"]);
          ctx.store.saveSoon();
          const id = newGuid().replace(/-/g, "").slice(0, 24).toUpperCase();
          callback(
            null,
            `2.0.0 OK <${id}@${EXCHANGE_SERVER_ID}> [Hostname=${EXCHANGE_SERVER_ID}] Queued mail for delivery`,
          );
        })().catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
      });
    },
  });
  server.on("error", () => {
    // Connection-level errors (a client dropping mid-TLS) are not fatal for the sandbox.
  });
  return server;
}
