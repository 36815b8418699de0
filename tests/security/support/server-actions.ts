import { expect } from "@playwright/test";
import { APP_URL } from "../../e2e/support/servers";
import { send, type Cookies } from "./http";

// Posting to a page's server action without a browser, both ways a browser
// does: the no-JavaScript form post (the hidden $ACTION_* fields React renders
// into the form) and the client-side call (a `Next-Action` header, with the
// arguments encoded as React's encodeReply does: the form's fields under a
// "_1_" prefix and the argument list in field "0"). Captured from Chromium
// against this app; if React changes the encoding, the positive controls in
// the tests that use this fail first.

export type ActionForm = {
  /** Hidden inputs in document order: $ACTION_REF_n, $ACTION_n:0 (id and bound args), $ACTION_n:1, $ACTION_KEY, `next`… */
  hidden: [string, string][];
  /** Names of every input, hidden or not. */
  inputs: string[];
  actionId: string;
  /** The bound previous state (useActionState), as the page rendered it. */
  previousState: unknown;
};

function decodeEntities(value: string): string {
  return value
    .replaceAll("&quot;", '"')
    .replaceAll("&#x27;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}

/** Every server-action form of a page's HTML. */
export function actionForms(html: string): ActionForm[] {
  const forms: ActionForm[] = [];
  for (const [form] of html.matchAll(/<form\b[\s\S]*?<\/form>/g)) {
    const hidden: [string, string][] = [];
    const inputs: string[] = [];
    for (const [tag] of form.matchAll(/<input\b[^>]*>/g)) {
      const name = /\bname="([^"]*)"/.exec(tag)?.[1];
      if (!name) continue;
      inputs.push(decodeEntities(name));
      if (/\btype="hidden"/.test(tag)) hidden.push([decodeEntities(name), decodeEntities(/\bvalue="([^"]*)"/.exec(tag)?.[1] ?? "")]);
    }
    // React numbers the action references of a page: $ACTION_REF_<n>, $ACTION_<n>:0 …
    const n = hidden.map(([name]) => /^\$ACTION_REF_(\d+)$/.exec(name)?.[1]).find(Boolean);
    const reference = hidden.find(([name]) => name === `$ACTION_${n}:0`)?.[1];
    if (!reference) continue;
    const bound = hidden.find(([name]) => name === `$ACTION_${n}:1`)?.[1] ?? "[]";
    forms.push({ hidden, inputs, actionId: (JSON.parse(reference) as { id: string }).id, previousState: (JSON.parse(bound) as unknown[])[0] });
  }
  return forms;
}

/** The page's action form that has an input with this name. */
export async function readActionForm(path: string, field: string, cookies: Cookies = {}): Promise<ActionForm> {
  const page = await send(path, { cookies });
  expect(page.status, `GET ${path}`).toBe(200);
  const form = actionForms(await page.text()).find((candidate) => candidate.inputs.includes(field));
  expect(form, `${path}: a server-action form with a "${field}" field`).toBeDefined();
  return form!;
}

export type ActionPost = {
  path: string;
  form: ActionForm;
  fields: Record<string, string>;
  /** Exactly these request headers; unset: what a browser sends from our own page. */
  headers?: Record<string, string>;
  cookies?: Cookies;
};

const FROM_OUR_PAGE = { origin: APP_URL, "sec-fetch-site": "same-origin" };

/** As a browser without JavaScript submits the form. */
export function postFormWithoutJs({ path, form, fields, headers, cookies }: ActionPost): Promise<Response> {
  const body = new FormData();
  for (const [name, value] of form.hidden) if (!(name in fields)) body.append(name, value);
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  return send(path, { method: "POST", body, headers: headers ?? FROM_OUR_PAGE, cookies });
}

/** As Next's client router calls the action: `Next-Action` header, RSC answer. */
export function callAction({ path, form, fields, headers, cookies }: ActionPost): Promise<Response> {
  const body = new FormData();
  for (const [name, value] of form.hidden) if (!(name in fields)) body.append(`_1_${name}`, value);
  for (const [name, value] of Object.entries(fields)) body.append(`_1_${name}`, value);
  body.append("0", JSON.stringify([form.previousState, "$K1"]));
  return send(path, {
    method: "POST",
    body,
    headers: { "next-action": form.actionId, accept: "text/x-component", ...(headers ?? FROM_OUR_PAGE) },
    cookies,
  });
}
