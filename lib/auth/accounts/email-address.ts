// SECURITY.md: emails are trimmed, NFKC-normalised and compared lower-cased, so
// "ＡＬＩＣＥ@example.com" and "alice@example.com" are one account. Addresses a
// parser could read two ways (quoted local parts, comments, IP literals) are refused.

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export type EmailAddress = { address: string; canonical: string };

export function parseEmailAddress(input: string): EmailAddress | null {
  const address = input.normalize("NFKC").trim();
  if (address.length > 254) return null;
  const at = address.lastIndexOf("@");
  if (at <= 0 || at !== address.indexOf("@")) return null;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > 64 || !LOCAL_PART.test(local)) return null;
  const labels = domain.split(".");
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) return null;
  if (/^[0-9]+$/.test(labels.at(-1)!)) return null;
  return { address, canonical: address.toLowerCase() };
}
