// Plain JavaScript: a next.config.ts would be compiled again at every start (Next loads its SWC compiler
// for that, about 27 MB of the serving process).

// The HTTPS server (scripts/server.ts, lib/http/response-headers.ts) sets every security header: the
// nonce CSP, COOP, Permissions-Policy and a default Referrer-Policy that a response may replace (the
// OAuth redirects send no-referrer; a Referrer-Policy here would override theirs). These few also apply
// under `next dev`.
const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Strict-Transport-Security", value: "max-age=31536000" },
];

/** @type {import("next").NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // NEXT_DIST_DIR lets several checkouts' worth of builds (parallel test runs) live side by side.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // `next build` checks the app only; `npm run typecheck` checks everything (tests, sandbox, scripts).
  typescript: { tsconfigPath: "tsconfig.app.json" },
  // Each page's server code is loaded when it is first requested, not all of them at start.
  experimental: { preloadEntriesOnStart: false },
  // Node libraries loaded from node_modules (one copy shared with the HTTPS server bundle): the outbound
  // proxy dispatcher and the metrics registry.
  serverExternalPackages: ["undici", "prom-client"],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
