import { createAuthorizationRequest, readAuthorizationCallback, type PendingBrowserSignIn, type PkceCrypto } from "./browser-sign-in";
import { DoormanError, SignedOutError } from "./errors";
import type { StoredTokens, TokenStore } from "./token-store";

export { AuthorizationError, DoormanError, SignedOutError } from "./errors";
export type { PendingBrowserSignIn, PkceCrypto } from "./browser-sign-in";

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
  /** PKCE's randomness and SHA-256 for signing in through the browser; WebCrypto unless given (React Native: expo-crypto). */
  crypto?: PkceCrypto;
};

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
    /**
     * Signing in through the system browser (RFC 8252), step one: the URL to
     * open (expo-web-browser's openAuthSessionAsync, ASWebAuthenticationSession,
     * a Custom Tab) and what to keep until it comes back. `clientId` and
     * `redirectUri` are as registered in Doorman's NATIVE_CLIENTS.
     */
    beginBrowserSignIn(input: { clientId: string; redirectUri: string }): Promise<{ url: string; pending: PendingBrowserSignIn }> {
      return createAuthorizationRequest({ baseUrl: options.baseUrl, ...input, crypto: options.crypto });
    },

    /**
     * Step two: the URL the browser came back with. Checks it answers this
     * request, redeems the code with the PKCE verifier and stores the tokens.
     * Throws AuthorizationError (Doorman's OAuth error, or state_mismatch …)
     * or DoormanError (invalid_grant: the code expired, was used, or does not match).
     */
    async completeBrowserSignIn(callbackUrl: string, pending: PendingBrowserSignIn): Promise<void> {
      const code = readAuthorizationCallback(callbackUrl, pending);
      await tokenRequest({
        grant_type: "authorization_code",
        code,
        redirect_uri: pending.redirectUri,
        client_id: pending.clientId,
        code_verifier: pending.codeVerifier,
      });
    },

    /**
     * grant_type=password, only where Doorman's PASSWORD_GRANT is on (off by
     * default: RFC 9700 says not to use it; sign in through the browser
     * instead). Stores the tokens. Throws DoormanError (invalid_grant,
     * unsupported_grant_type, rate_limited …).
     */
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
