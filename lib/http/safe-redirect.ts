import { appOrigin } from "@/lib/env";

// Edge-safe. `next=` targets must stay on our origin: resolve against APP_URL
// and keep only the path if the origin did not change. `//evil`, `/\evil`,
// `/%09/evil`, `https:evil` and `javascript:` all resolve elsewhere and go home.

export function safeNextPath(value: string | null | undefined, fallback = "/dashboard"): string {
  if (!value || value.length > 2048) return fallback;
  if (!value.startsWith("/")) return fallback;
  let url: URL;
  try {
    url = new URL(value, appOrigin());
  } catch {
    return fallback;
  }
  if (url.origin !== appOrigin()) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Browsers treat "/\" like "//"; after URL parsing it can only survive as a path start.
  if (path.startsWith("//") || path.startsWith("/\\")) return fallback;
  // SECURITY.md: `/%09/evil` goes home too. A path that only stays on origin
  // while still encoded (`/%09/evil`, `/%2F%2Fevil`) leaves it for any consumer
  // that decodes once more, so it is judged by its decoded form as well.
  let decoded: string;
  try {
    decoded = decodeURIComponent(url.pathname);
  } catch {
    return fallback;
  }
  if (decoded !== url.pathname && safeNextPath(decoded, fallback) === fallback) return fallback;
  return path;
}
