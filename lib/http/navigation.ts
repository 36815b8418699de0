// Edge-safe. Fetch Metadata's Sec-Fetch-Mode says whether the browser is
// navigating to an address or fetching it from a script, a prefetch or a
// server acting for one. Without the header (older browsers, non-browsers)
// there is nothing to go by, and the request is taken as a navigation.

export function isNavigation(headers: Headers): boolean {
  const mode = headers.get("sec-fetch-mode");
  return mode === null || mode === "navigate";
}
