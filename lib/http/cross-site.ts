// Edge-safe. The contract's cross-site rule, modelled on Go's
// http.CrossOriginProtection: Fetch Metadata decides when the browser sends it;
// otherwise Origin must be APP_URL's origin; a request with neither header does
// not come from a browser (native clients, curl) and passes.

export function isCrossSiteRequest(headers: Headers, appOrigin: string): boolean {
  const fetchSite = headers.get("sec-fetch-site");
  if (fetchSite !== null) return fetchSite !== "same-origin" && fetchSite !== "none";
  const origin = headers.get("origin");
  if (origin === null) return false;
  return origin !== appOrigin;
}
