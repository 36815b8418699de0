// Edge-safe. Next answers a path it cannot percent-decode (`/api/admin/users/%`)
// with a bare "Internal Server Error" wherever the route has a dynamic segment:
// it means to render a 400 page, which an App Router app does not have. The
// middleware refuses such paths first, in the contract's shape; server.mjs does
// the same for the requests the middleware never sees (prefetches).

/** A `%` that does not start a valid UTF-8 percent-encoding: no route can be read from this path. */
export function isUndecodablePath(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return false;
  } catch {
    return true;
  }
}
