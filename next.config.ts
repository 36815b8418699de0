import type { NextConfig } from "next";
import { FALLBACK_CONTENT_SECURITY_POLICY, TOKEN_PAGES, staticSecurityHeaders } from "./lib/http/security-headers";

const asList = (headers: Record<string, string>) => Object.entries(headers).map(([key, value]) => ({ key, value }));

/**
 * Files a standalone build needs that Next's trace cannot see, copied in at
 * the same paths (docs/decisions/0030). Next's trace happens to hold the
 * parser and the migrations today, through its server's imports and its
 * reading of db/client.ts: named here, they no longer depend on either.
 */
const STANDALONE_FILES = [
  // The launcher: no page imports it.
  "./server.mjs",
  // server.mjs's check of the router-state header: Next's own parser and the two modules it loads.
  "./node_modules/next/dist/server/app-render/parse-and-validate-flight-router-state.js",
  "./node_modules/next/dist/server/app-render/types.js",
  "./node_modules/next/dist/compiled/superstruct/**",
  // The embedded database applies them at start; db/client.ts reads them from disk.
  "./db/migrations/**",
  // The hashing threads `require` bcryptjs (lib/auth/passwords/password-pool.ts): its CommonJS
  // build, which the trace leaves out, having followed only lib/auth/passwords/password.ts's import.
  "./node_modules/bcryptjs/**",
];

const config: NextConfig = {
  // .next/standalone: the server, the node_modules it needs and server.mjs,
  // for a container or a host without a checkout (Dockerfile, docs/decisions/0030).
  // `npm start` runs the same build: server.mjs loads its configuration as the standalone server does.
  output: "standalone",
  // Any one route's trace reaches the standalone copy; every route is named so none is left to chance.
  outputFileTracingIncludes: { "/**": STANDALONE_FILES },
  // PGlite loads its WebAssembly and data files from its own package folder at run time;
  // bundling it would break those paths. The password worker threads require
  // bcryptjs from node_modules at run time (lib/auth/passwords/password-pool.ts), so the
  // app uses that same copy. postgres is a plain Node library.
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
