// The one sign-in page both stand-ins show. Its shape is a contract with two
// drivers: Playwright finds the field by its label ("Login") and the buttons by
// their names; completeProviderLogin reads the form's action and hidden fields
// and posts `login` plus `decision=allow|deny`. Keep the two in step.

export type LoginPage = {
  title: string;
  /** Where the form posts (relative to the page is fine). */
  action: string;
  hidden?: Record<string, string>;
  /** The button that signs in, e.g. "Sign in" or "Authorize". */
  allowLabel: string;
  /** Prefills the field, as a provider does with login_hint. */
  loginHint?: string;
};

/** No favicon request (the empty data: icon): its 404 would be a console error in the browser tests. */
export function renderLoginPage(page: LoginPage): string {
  const hidden = Object.entries(page.hidden ?? {})
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join("\n    ");
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(page.title)}</title><link rel="icon" href="data:,"></head>
<body>
  <h1>${escapeHtml(page.title)}</h1>
  <form method="post" action="${escapeHtml(page.action)}">
    ${hidden}
    <label for="login">Login</label>
    <input id="login" name="login" autocomplete="username" required autofocus value="${escapeHtml(page.loginHint ?? "")}">
    <button type="submit" name="decision" value="allow">${escapeHtml(page.allowLabel)}</button>
    <button type="submit" name="decision" value="deny" formnovalidate>Cancel</button>
  </form>
</body>
</html>`;
}

// Provider parameters (client names, login hints) reach this page: never unescaped.
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
