import { startAuthentication, startRegistration, WebAuthnError } from "@simplewebauthn/browser";

// The browser half of a passkey ceremony: ask our JSON routes for options,
// hand them to the authenticator, post its answer back. Same-origin fetches
// only (the CSP's connect-src 'self'); the ceremony cookie travels with them.

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: string | null; message: string } | { ok: false; aborted: true };

async function postJson(path: string, method: string, body?: unknown): Promise<Response> {
  return fetch(path, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? undefined : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function refusal(response: Response): Promise<{ ok: false; code: string | null; message: string }> {
  const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
  return { ok: false, code: body?.error?.code ?? null, message: body?.error?.message ?? "Something went wrong. Try again." };
}

/** What the authenticator's own refusal means to the person; null when the ceremony was cancelled by a newer one. */
function authenticatorRefusal(error: unknown): { ok: false; code: null; message: string } | { ok: false; aborted: true } {
  if (error instanceof WebAuthnError && error.code === "ERROR_CEREMONY_ABORTED") return { ok: false, aborted: true };
  if (error instanceof WebAuthnError && error.code === "ERROR_AUTHENTICATOR_PREVIOUSLY_REGISTERED") {
    return { ok: false, code: null, message: "This authenticator already holds a passkey for your account." };
  }
  return { ok: false, code: null, message: "The passkey request was cancelled or timed out." };
}

/** A JSON call to one of our routes: its body on success, the error's code and sentence otherwise. */
export async function callJson<T>(path: string, method: string, body?: unknown): Promise<Outcome<T>> {
  const response = await postJson(path, method, body);
  if (!response.ok) return refusal(response);
  return { ok: true, value: (response.status === 204 ? null : await response.json()) as T };
}

/**
 * Asks `optionsPath` for a challenge, has the authenticator sign it, and posts
 * the answer to `verifyPath` as `field`. `cancelled`: the page that asked is
 * gone (a client-side navigation); the authenticator is then never asked, so
 * no request is left pending to refuse the next page's ceremony.
 */
async function assertWithPasskey(optionsPath: string, verifyPath: string, field: string, autofill = false, cancelled?: AbortSignal): Promise<Outcome<null>> {
  const asked = await callJson<{ options: Parameters<typeof startAuthentication>[0]["optionsJSON"] }>(optionsPath, "POST");
  if (!asked.ok) return asked;
  if (cancelled?.aborted) return { ok: false, aborted: true };
  let response;
  try {
    response = await startAuthentication({ optionsJSON: asked.value.options, useBrowserAutofill: autofill });
  } catch (error) {
    return authenticatorRefusal(error);
  }
  const verified = await callJson<unknown>(verifyPath, "POST", { [field]: response });
  return verified.ok ? { ok: true, value: null } : verified;
}

/** Signs in with a passkey: by the button, or (`autofill`) through the email field's suggestions. */
export function signInWithPasskey(autofill: boolean, cancelled?: AbortSignal): Promise<Outcome<null>> {
  return assertWithPasskey("/api/auth/passkeys/sign-in-options", "/api/auth/passkeys/sign-in", "response", autofill, cancelled);
}

/** A step-up with one of the signed-in account's own passkeys. */
export function stepUpWithPasskey(): Promise<Outcome<null>> {
  return assertWithPasskey("/api/auth/reauthenticate/passkey-options", "/api/auth/reauthenticate", "passkey");
}

/** Makes a passkey on this device for the signed-in account and keeps it under `name`. */
export async function addPasskey(name: string): Promise<Outcome<null>> {
  const asked = await callJson<{ options: Parameters<typeof startRegistration>[0]["optionsJSON"] }>("/api/auth/passkeys/registration-options", "POST");
  if (!asked.ok) return asked;
  let response;
  try {
    response = await startRegistration({ optionsJSON: asked.value.options });
  } catch (error) {
    return authenticatorRefusal(error);
  }
  const added = await callJson<unknown>("/api/auth/passkeys", "POST", { name, response });
  return added.ok ? { ok: true, value: null } : added;
}
