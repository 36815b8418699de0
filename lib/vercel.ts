// What a Vercel deployment learns about itself from Vercel's system
// environment variables (https://vercel.com/docs/environment-variables/system-environment-variables),
// and the two request headers Doorman relies on there. Edge-safe; lib/env.ts
// passes the values in, so this module reads no process.env of its own.
// docs/decisions/0031-vercel-and-pooled-postgresql.md says why each is used.

export type VercelSystem = {
  /** "1" on every Vercel build and function, `vercel dev` included. */
  VERCEL?: string;
  /** production, preview or development (`vercel dev`). */
  VERCEL_ENV?: string;
  /** This deployment's own host, without a scheme: my-app-abc123.vercel.app. */
  VERCEL_URL?: string;
  /** The production domain's host, without a scheme, whichever deployment reads it. */
  VERCEL_PROJECT_PRODUCTION_URL?: string;
};

/**
 * Vercel's proxy writes the address its client connected from here, replacing
 * whatever the client sent; it is the header Vercel's own ipAddress() helper
 * (@vercel/functions) reads.
 */
export const VERCEL_CLIENT_IP_HEADER = "x-real-ip";

/** Deployment Protection lets a request carrying VERCEL_AUTOMATION_BYPASS_SECRET here through. */
export const PROTECTION_BYPASS_HEADER = "x-vercel-protection-bypass";

/**
 * A deployment on Vercel's infrastructure (production or preview), where the
 * file system is read-only and Vercel's proxy stands in front of every request.
 * Not `vercel dev`, which runs `next dev` on the developer's machine.
 */
export function isVercelDeployment(system: VercelSystem): boolean {
  return Boolean(system.VERCEL) && system.VERCEL_ENV !== "development";
}

/**
 * APP_URL and INTERNAL_URL for a deployment that sets neither. Production
 * answers on its production domain; a preview on its own deployment host, so
 * its emails link to, and its Origin check expects, the preview itself. Both
 * refresh through their own deployment host: a preview must never rotate a
 * token against production's database, and production's own deployment keeps
 * the self-fetch on the code that made it.
 */
export function vercelOrigins(system: VercelSystem): { appUrl?: string; internalUrl?: string } {
  if (!isVercelDeployment(system) || !system.VERCEL_URL) return {};
  const own = `https://${system.VERCEL_URL}`;
  const production = system.VERCEL_PROJECT_PRODUCTION_URL;
  return { appUrl: system.VERCEL_ENV === "production" && production ? `https://${production}` : own, internalUrl: own };
}
