import type { NextConfig } from "next";
import { FALLBACK_CONTENT_SECURITY_POLICY, TOKEN_PAGES, staticSecurityHeaders } from "./lib/http/security-headers";

const asList = (headers: Record<string, string>) => Object.entries(headers).map(([key, value]) => ({ key, value }));

const config: NextConfig = {
  // PGlite loads its WebAssembly and data files from its own package folder at run time;
  // bundling it would break those paths. The password worker threads require
  // bcryptjs from node_modules at run time (lib/auth/password-pool.ts): kept
  // external, it is traced into a standalone build too. postgres is a plain Node library.
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "bcryptjs"],
  poweredByHeader: false,
  reactStrictMode: true,
  experimental: {
    serverActions: {
      // A form on a token page (Referrer-Policy: no-referrer) posts with
      // `Origin: null`, which Next's own Origin-vs-Host check refuses, so the
      // page would not work without JavaScript. Every action calls
      // assertSameSite() first, and that check (Fetch Metadata, then Origin,
      // docs/contract.md) still refuses a cross-site `null` origin.
      allowedOrigins: ["null"],
    },
  },
  // Every path, static files and prefetches included (the middleware skips
  // them). The nonce CSP and HSTS depend on the request and the runtime
  // configuration: the middleware sends those, and its CSP replaces this
  // fallback wherever it runs (docs/decisions/0007).
  async headers() {
    return [
      {
        source: "/:path*",
        headers: asList({ ...staticSecurityHeaders("/"), "Content-Security-Policy": FALLBACK_CONTENT_SECURITY_POLICY }),
      },
      // SECURITY.md: the token in these URLs must not leave in a Referer header. The
      // header covers the response before any HTML is parsed; the pages also set the
      // meta tag. Listed last: for the same header, the last matching rule wins.
      ...TOKEN_PAGES.map((source) => ({ source, headers: asList(staticSecurityHeaders(source)) })),
    ];
  },
};

export default config;
