import {
  type Diagnosis,
  type DiagnosisContext,
  FIELD,
  fields,
  MS_DEFAULTS,
  type MailFailure,
} from "@/lib/mail/diagnosis";

const CERT_CODES = new Set([
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_REVOKED",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE",
  "HOSTNAME_MISMATCH",
]);

function secs(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/** Network and TLS failures: the same for SMTP and IMAP. Null when the failure is not one of these. */
export function diagnoseConnection(f: MailFailure, ctx: DiagnosisContext): Diagnosis | null {
  const where = `${ctx.host}:${ctx.port}`;
  const code = f.code ?? "";
  const msg = f.message;

  if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EDNS" || /getaddrinfo|ENOTFOUND|EAI_AGAIN/.test(msg)) {
    return {
      summary: `DNS failure: the host name ${ctx.host} cannot be resolved.`,
      hint:
        `The ${ctx.role.toUpperCase()} host ${ctx.host} does not resolve from this server. Check the host name for typos ` +
        `(Microsoft 365: ${MS_DEFAULTS[ctx.role]}), and that this server can reach a DNS resolver (a container or a ` +
        `locked-down network may have none).`,
      links: fields(ctx, "host"),
    };
  }
  if (code === "ECONNREFUSED" || /ECONNREFUSED/.test(msg)) {
    return {
      summary: `Connection refused by ${where}.`,
      hint:
        `Nothing accepts connections on ${where}, or a firewall actively rejects them. Check the port: ` +
        (ctx.role === "smtp"
          ? "SMTP submission is 587 with STARTTLS (465 with TLS); 25 is for server-to-server mail."
          : "IMAP is 993 with TLS (143 with STARTTLS).") +
        ` Microsoft 365: ${MS_DEFAULTS[ctx.role]}.`,
      links: fields(ctx, "host", "port"),
    };
  }
  if (code === "EHOSTUNREACH" || code === "ENETUNREACH" || code === "ECONNRESET" || code === "EPIPE") {
    return {
      summary: `The connection to ${where} failed (${code}).`,
      hint:
        code === "ECONNRESET" || code === "EPIPE"
          ? `${where} closed the connection unexpectedly. A firewall or proxy may be interfering, or the security setting does not match the port (TLS on a STARTTLS port or the other way round).`
          : `There is no network route from this server to ${where}. Check the host name and the outbound firewall rules.`,
      links: fields(ctx, "host", "port", "security"),
    };
  }
  if (f.timeout === "connect") {
    return {
      summary: `Timeout: no connection to ${where} within ${secs(ctx.connectTimeoutMs)}.`,
      hint:
        `The connection to ${where} could not be established within the connect timeout. The host may be down, ` +
        `or a firewall silently drops the traffic (many networks and cloud providers block outbound mail ports). ` +
        `Check the host and port, and that this server may connect out to ${where}.`,
      links: [...fields(ctx, "host", "port"), { label: "Connect timeout", href: FIELD("connectTimeoutSeconds") }],
    };
  }
  if (f.timeout === "greeting") {
    return {
      summary: `Timeout: ${where} accepted the connection but never answered (no greeting within ${secs(ctx.connectTimeoutMs)}).`,
      hint:
        `Something listens on ${where} but does not speak ${ctx.role.toUpperCase()}, or waits for a TLS handshake: ` +
        `the security setting probably does not match the port (${ctx.security === "tls" ? "TLS selected on a port that expects STARTTLS or plain text" : "STARTTLS or none selected on a port that expects TLS from the start, e.g. 465 or 993"}). ` +
        `A proxy or firewall that intercepts the port has the same symptom. Microsoft 365: ${MS_DEFAULTS[ctx.role]}.`,
      links: fields(ctx, "port", "security"),
    };
  }
  if (f.timeout === "overall") {
    return {
      summary: `Timeout: the ${ctx.role.toUpperCase()} check did not finish within ${secs(ctx.overallTimeoutMs)} (stopped during ${f.phase}).`,
      hint:
        `${where} answered, but too slowly: the check stopped during "${f.phase}". The server may be overloaded or throttling ` +
        `this client; try again, or raise the overall timeout if the server is known to be slow.`,
      links: [{ label: "Overall timeout", href: FIELD("overallTimeoutSeconds") }],
    };
  }
  const certCode = CERT_CODES.has(code)
    ? code
    : ([...CERT_CODES].find((c) => msg.includes(c)) ??
      (/certificate|self[- ]signed|altnames/i.test(msg) ? "CERTIFICATE" : null));
  if (certCode) {
    const nameProblem =
      certCode === "ERR_TLS_CERT_ALTNAME_INVALID" ||
      certCode === "HOSTNAME_MISMATCH" ||
      /altnames|does not match/i.test(msg);
    return {
      summary: `TLS certificate error: the certificate of ${where} is not trusted (${certCode}).`,
      hint: nameProblem
        ? `The certificate presented by ${where} is not valid for the name ${ctx.host}. Use the host name the certificate is issued for ` +
          `(Microsoft 365: ${MS_DEFAULTS[ctx.role]}), not an IP address or an alias.`
        : certCode === "CERT_HAS_EXPIRED" || certCode === "CERT_NOT_YET_VALID"
          ? `The certificate of ${where} is outside its validity period. Check this server's clock; if the clock is right, the mail server's certificate must be renewed.`
          : `The certificate of ${where} is not signed by a certificate authority this server trusts. If a proxy inspects TLS or the ` +
            `mail server uses a private CA, add that CA to this server's trust store (NODE_EXTRA_CA_CERTS) and restart. ` +
            `Do not turn certificate verification off: the token or password would go to whoever answers.`,
      links: fields(ctx, "host"),
    };
  }
  if (
    /wrong version number|packet length too long|unknown protocol|EPROTO|ssl3_get_record|tlsv1 alert|handshake/i.test(
      `${code} ${msg}`,
    )
  ) {
    return {
      summary: `TLS handshake with ${where} failed.`,
      hint:
        `The TLS handshake failed (${msg.slice(0, 120)}). Usually the security setting does not match the port: ` +
        `TLS (implicit) is for ${ctx.role === "smtp" ? "465" : "993"}, STARTTLS for ${ctx.role === "smtp" ? "587" : "143"}. ` +
        `Microsoft 365: ${MS_DEFAULTS[ctx.role]}.`,
      links: fields(ctx, "port", "security"),
    };
  }
  return null;
}

/** The server does not offer STARTTLS although the settings require it. */
export function diagnoseStartTlsUnavailable(ctx: DiagnosisContext): Diagnosis {
  const where = `${ctx.host}:${ctx.port}`;
  return {
    summary: `STARTTLS unavailable: ${where} does not offer STARTTLS, so nothing was sent.`,
    hint:
      `The settings require STARTTLS, but ${where} does not offer it (or refused it). Credentials are never sent over an ` +
      `unencrypted connection. Use the port that supports STARTTLS (${ctx.role === "smtp" ? "587" : "143"}), or choose ` +
      `TLS (implicit) with port ${ctx.role === "smtp" ? "465" : "993"}. Microsoft 365: ${MS_DEFAULTS[ctx.role]}.`,
    links: fields(ctx, "port", "security"),
  };
}
