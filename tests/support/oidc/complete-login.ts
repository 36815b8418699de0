// A browser's part in a sign-in, without a browser: open the authorization
// URL, follow the provider's redirects with a cookie jar of its own, fill the
// sign-in page (see login-page.ts) and stop at the first redirect that leaves
// the provider, which is the client's redirect_uri with `code` and `state`,
// or `error`. Works against startTestProvider, startBrokenProvider and
// startGitHubStandIn alike.

export type CompleteLoginOptions = {
  /** Press "Cancel": the flow ends with error=access_denied. */
  deny?: boolean;
};

const MAX_STEPS = 10;

export async function completeProviderLogin(authorizationUrl: string, login: string, options: CompleteLoginOptions = {}): Promise<string> {
  const start = new URL(authorizationUrl);
  const redirectUri = start.searchParams.get("redirect_uri");
  const jar = new Map<string, string>();
  let request: { url: URL; init: RequestInit } = { url: start, init: {} };
  let submitted = false;

  for (let step = 0; step < MAX_STEPS; step++) {
    const headers = new Headers(request.init.headers);
    if (jar.size > 0) headers.set("cookie", cookieHeader(jar));
    const response = await fetch(request.url, { ...request.init, headers, redirect: "manual" });
    storeCookies(jar, response);

    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, request.url);
      if (leavesProvider(next, start, redirectUri)) return next.href;
      request = { url: next, init: {} };
      continue;
    }

    const body = await response.text();
    if (response.status !== 200 || submitted) {
      throw new Error(`completeProviderLogin: ${request.url.pathname} answered ${response.status}: ${body.slice(0, 300)}`);
    }
    const form = readForm(body, request.url);
    form.fields.set("login", login);
    form.fields.set("decision", options.deny ? "deny" : "allow");
    request = {
      url: form.action,
      init: { method: "POST", body: new URLSearchParams([...form.fields]), headers: { "content-type": "application/x-www-form-urlencoded" } },
    };
    submitted = true;
  }
  throw new Error(`completeProviderLogin: still redirecting after ${MAX_STEPS} steps.`);
}

function leavesProvider(next: URL, start: URL, redirectUri: string | null): boolean {
  if (next.origin !== start.origin) return true;
  if (!redirectUri) return false;
  const target = new URL(redirectUri);
  return next.origin === target.origin && next.pathname === target.pathname;
}

/** The page's one form: where it posts and its hidden fields. */
function readForm(html: string, pageUrl: URL): { action: URL; fields: Map<string, string> } {
  const form = /<form\b[^>]*\baction="([^"]*)"/i.exec(html);
  if (!form) throw new Error(`completeProviderLogin: no form on ${pageUrl.pathname}: ${html.slice(0, 300)}`);
  const fields = new Map<string, string>();
  for (const input of html.matchAll(/<input\b[^>]*\btype="hidden"[^>]*>/gi)) {
    const name = /\bname="([^"]*)"/.exec(input[0])?.[1];
    const value = /\bvalue="([^"]*)"/.exec(input[0])?.[1];
    if (name !== undefined) fields.set(unescapeHtml(name), unescapeHtml(value ?? ""));
  }
  return { action: new URL(unescapeHtml(form[1]!), pageUrl), fields };
}

function unescapeHtml(value: string): string {
  return value
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

// One origin, so names are enough: oidc-provider scopes its interaction
// cookies by path, but sending them on other paths of the provider is harmless.
function storeCookies(jar: Map<string, string>, response: Response): void {
  for (const line of response.headers.getSetCookie()) {
    const [pair = "", ...attributes] = line.split(";");
    const eq = pair.indexOf("=");
    if (eq < 1) continue;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || (/^\s*expires=/i.test(a) && Date.parse(a.split("=")[1]!) < Date.now()));
    if (expired || value === "") jar.delete(name);
    else jar.set(name, value);
  }
}

function cookieHeader(jar: Map<string, string>): string {
  return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
}
