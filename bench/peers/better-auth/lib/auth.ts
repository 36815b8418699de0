import { betterAuth } from "better-auth";
import { nextCookies } from "better-auth/next-js";
import { pool } from "./pool";

// The peer's whole Better Auth setup, as its Next.js guide lays it out: a pg
// Pool (Better Auth's built-in Kysely path), email and password, and
// nextCookies() so cookies it refreshes inside route handlers reach the browser.

export const auth = betterAuth({
  database: pool,
  secret: process.env.BETTER_AUTH_SECRET,
  baseURL: process.env.BETTER_AUTH_URL,
  emailAndPassword: { enabled: true },
  session: {
    // Off, getSession reads the session and its user from the database on
    // every request; on, it trusts a signed copy in a cookie for up to 5
    // minutes, so a revoked session still passes until that copy expires.
    cookieCache: process.env.BETTER_AUTH_COOKIE_CACHE === "1" ? { enabled: true, maxAge: 300 } : { enabled: false },
  },
  // The measured pages call auth.api, which the limiter never sees; off, it
  // cannot answer 429 to the benchmark's own sign-ins or to any load it
  // points at the HTTP endpoints, which all come from 127.0.0.1.
  rateLimit: { enabled: false },
  plugins: [nextCookies()],
});
