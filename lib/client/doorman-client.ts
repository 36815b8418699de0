import type { StoredTokens, TokenStore } from "./token-store";

// A Doorman client for native and mobile apps: plain fetch, no framework, no
// Node or DOM APIs beyond fetch/URL/Headers, so it runs in React Native as is.
// It attaches the Bearer token, refreshes once however many requests find it
// expired at the same moment, replays them, and signs out only when Doorman
// itself refuses the refresh token.

export type DoormanClientOptions = {
  /** Doorman's origin, e.g. https://auth.example.com */
  baseUrl: string;
  store: TokenStore;
  fetch?: typeof fetch;
  /** Called once when a refresh is refused and the stored tokens are dropped. */
  onSignedOut?: () => void;
  /** Refresh this long before the access token's stated expiry (clock skew, travel time). */
  expirySkewMs?: number;
};

/** Doorman's error shape (the contract); `status` is the HTTP status. */
export class DoormanError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = "DoormanError";
  }
}

/** The refresh token was refused: the user must sign in again. */
export class SignedOutError extends DoormanError {
  constructor() {
    super(401, "signed_out", "Sign in again.");
    this.name = "SignedOutError";
  }
}

type TokenResponse = { access_token: string; refresh_token: string; token_type: string; expires_in: number };

export function createDoormanClient(options: DoormanClientOptions) {
  const send = options.fetch ?? globalThis.fetch.bind(globalThis);
  const skew = options.expirySkewMs ?? 10_000;
  const url = (path: string) => new URL(path, options.baseUrl).toString();
  // The single flight: every caller that needs a refresh while one is running awaits this one.
  let refreshing: Promise<StoredTokens> | null = null;

  async function tokenRequest(body: Record<string, string>): Promise<StoredTokens> {
    const response = await send(url("/api/auth/token"), {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw await errorFrom(response);
    const tokens = (await response.json()) as TokenResponse;
    const stored = {
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      accessTokenExpiresAt: Date.now() + tokens.expires_in * 1000,
    };
    await options.store.save(stored);
    return stored;
  }

  /** Runs one refresh for everyone; `stale` is the access token the caller saw fail. */
  function refresh(stale: StoredTokens): Promise<StoredTokens> {
    refreshing ??= (async () => {
      try {
        const current = await options.store.load();
        if (!current) throw new SignedOutError();
        // Someone else refreshed after this caller read its token: use theirs.
        if (current.accessToken !== stale.accessToken) return current;
        return await tokenRequest({ grant_type: "refresh_token", refresh_token: current.refreshToken });
      } catch (error) {
        // invalid_grant (or 401) means the session is over; a 503 or a network error does not.
        if (error instanceof SignedOutError || (error instanceof DoormanError && [400, 401].includes(error.status))) {
          await options.store.save(null);
          options.onSignedOut?.();
          throw new SignedOutError();
        }
        throw error;
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  async function validTokens(): Promise<StoredTokens> {
    if (refreshing) return refreshing;
    const tokens = await options.store.load();
    if (!tokens) throw new SignedOutError();
    return tokens.accessTokenExpiresAt - skew <= Date.now() ? refresh(tokens) : tokens;
  }

  function withBearer(init: RequestInit | undefined, accessToken: string): RequestInit {
    const headers = new Headers(init?.headers);
    headers.set("authorization", `Bearer ${accessToken}`);
    return { ...init, headers };
  }

  return {
    /** grant_type=password; stores the tokens. Throws DoormanError (invalid_grant, rate_limited …). */
    async signIn(email: string, password: string): Promise<void> {
      await tokenRequest({ grant_type: "password", email, password });
    },

    /** Revokes the session at Doorman (best effort) and forgets the tokens. */
    async signOut(): Promise<void> {
      const tokens = await options.store.load();
      await options.store.save(null);
      if (!tokens) return;
      await send(url("/api/auth/revoke"), {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ token: tokens.refreshToken, token_type_hint: "refresh_token" }),
      }).catch(() => undefined);
    },

    async isSignedIn(): Promise<boolean> {
      return (await options.store.load()) !== null;
    },

    /**
     * fetch with the user's Bearer token. A 401 triggers one shared refresh and
     * one replay; a body that is a stream cannot be replayed, so pass strings,
     * FormData or URLSearchParams. Throws SignedOutError when the session is over.
     */
    async fetch(path: string, init?: RequestInit): Promise<Response> {
      const tokens = await validTokens();
      const response = await send(url(path), withBearer(init, tokens.accessToken));
      if (response.status !== 401) return response;
      const renewed = await refresh(tokens);
      return send(url(path), withBearer(init, renewed.accessToken));
    },
  };
}

export type DoormanClient = ReturnType<typeof createDoormanClient>;

async function errorFrom(response: Response): Promise<DoormanError> {
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; fields?: Record<string, string> } } | null;
  return new DoormanError(response.status, body?.error?.code ?? "http_error", body?.error?.message ?? `HTTP ${response.status}`, body?.error?.fields);
}
