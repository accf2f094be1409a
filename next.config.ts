import type { NextConfig } from "next";

const securityHeaders = [
  { key: "X-Frame-Options", value: "DENY" },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "Strict-Transport-Security", value: "max-age=31536000" },
];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // NEXT_DIST_DIR lets several checkouts' worth of builds (parallel test runs) live side by side.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // `next build` checks the app only; `npm run typecheck` checks everything (tests, sandbox, scripts).
  typescript: { tsconfigPath: "tsconfig.app.json" },
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
