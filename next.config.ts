import type { NextConfig } from "next";

/** Pages whose URL carries a one-time token. */
const TOKEN_PAGES = ["/verify-email", "/reset-password"];

const config: NextConfig = {
  // PGlite loads its WebAssembly and data files from its own package folder at run time;
  // bundling it would break those paths. bcryptjs and postgres are plain Node libraries.
  serverExternalPackages: ["@electric-sql/pglite", "postgres"],
  poweredByHeader: false,
  reactStrictMode: true,
  experimental: {
    serverActions: {
      // A form on a token page (Referrer-Policy: no-referrer) posts with
      // `Origin: null`, which Next's own Origin-vs-Host check refuses, so the
      // page would not work without JavaScript. Every action calls
      // assertSameSite() first, and that check (Fetch Metadata, then Origin,
      // CONTRACT.md) still refuses a cross-site `null` origin.
      allowedOrigins: ["null"],
    },
  },
  // SECURITY.md: the token in these URLs must not leave in a Referer header. The
  // header covers the response before any HTML is parsed; the pages also set the meta tag.
  async headers() {
    return TOKEN_PAGES.map((source) => ({ source, headers: [{ key: "Referrer-Policy", value: "no-referrer" }] }));
  },
};

export default config;
