import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { authSecret } from "@/lib/env";

// A queued message carries a live sign-in link until it is sent, so its body is
// stored sealed (docs/decisions/0020-sealed-outbox.md): a database read or a
// backup without AUTH_SECRET yields no usable link.

export type EmailBody = { text: string; html: string };

/** The outbox row a body belongs to; the seal is bound to it (the GCM associated data). */
export type SealedRow = { id: string; toAddress: string };

const FORMAT = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A key of its own, not AUTH_SECRET itself (RFC 5869): the cookie seal and the outbox never share one. */
function bodyKey(): Buffer {
  return Buffer.from(hkdfSync("sha256", authSecret(), "", "doorman/email-outbox-body/v1", 32));
}

/** Bound to the row id and recipient: moved to another row, or readdressed, it no longer opens. */
function associatedData(row: SealedRow): Buffer {
  return Buffer.from(`${row.id}\n${row.toAddress}`, "utf8");
}

export function sealEmailBody(body: EmailBody, row: SealedRow): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", bodyKey(), iv);
  cipher.setAAD(associatedData(row));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(body), "utf8"), cipher.final()]);
  return `${FORMAT}.${Buffer.concat([iv, ciphertext, cipher.getAuthTag()]).toString("base64url")}`;
}

/** Null when erased, sealed under another AUTH_SECRET, altered, or bound to another row. */
export function openEmailBody(row: SealedRow & { sealedBody: string | null }): EmailBody | null {
  const [format, payload] = row.sealedBody?.split(".") ?? [];
  if (format !== FORMAT || !payload) return null;
  const bytes = Buffer.from(payload, "base64url");
  if (bytes.length < IV_BYTES + TAG_BYTES) return null;
  try {
    const decipher = createDecipheriv("aes-256-gcm", bodyKey(), bytes.subarray(0, IV_BYTES));
    decipher.setAAD(associatedData(row));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES, bytes.length - TAG_BYTES)), decipher.final()]);
    return JSON.parse(plain.toString("utf8")) as EmailBody;
  } catch {
    return null;
  }
}
