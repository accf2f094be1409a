/**
 * The header our own HTTPS server (scripts/server.ts) sets from the TCP peer address, replacing
 * anything a client sent, so that sign-in throttling cannot be dodged with a forged X-Forwarded-For.
 * Behind a proxy (TRUST_PROXY=1) the server fills it from the proxy's X-Forwarded-For instead.
 */
export const CLIENT_IP_HEADER = "x-mail-connect-client-ip";
