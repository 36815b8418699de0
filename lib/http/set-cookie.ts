// Edge-safe. Reads the name, value and Max-Age of Set-Cookie lines written by
// our own refresh route, so the middleware can pass them on.

export type SetCookie = { name: string; value: string; maxAge: number };

export function parseSetCookie(line: string): SetCookie | null {
  const [pair, ...attributes] = line.split(";");
  const eq = pair?.indexOf("=") ?? -1;
  if (!pair || eq <= 0) return null;
  const name = pair.slice(0, eq).trim();
  const value = pair.slice(eq + 1).trim();
  let maxAge = 0;
  for (const attribute of attributes) {
    const [key, raw] = attribute.split("=");
    if (key?.trim().toLowerCase() === "max-age") maxAge = Number.parseInt(raw ?? "0", 10) || 0;
  }
  return { name, value, maxAge };
}
