// A hint for the person choosing a password, shown as they type. Only a hint:
// the server's policy (lib/auth/passwords/password-policy.ts, with the common-password
// list that never ships to the browser) decides. Pure and dependency-free, so
// it runs in the browser and in unit tests.

export type Strength = { level: 0 | 1 | 2 | 3 | 4; label: string };

const LABELS = ["Too short", "Weak", "Fair", "Good", "Strong"] as const;

const SEQUENCES = ["abcdefghijklmnopqrstuvwxyz", "0123456789", "qwertyuiop", "asdfghjkl", "zxcvbnm"];

/** Rough guessing entropy in bits: alphabet size per character, with runs and sequences counted once. */
export function estimateBits(password: string): number {
  const chars = [...password.normalize("NFKC")];
  let alphabet = 0;
  if (chars.some((c) => /[a-z]/.test(c))) alphabet += 26;
  if (chars.some((c) => /[A-Z]/.test(c))) alphabet += 26;
  if (chars.some((c) => /[0-9]/.test(c))) alphabet += 10;
  if (chars.some((c) => /[^a-zA-Z0-9]/.test(c) && c.charCodeAt(0) < 128)) alphabet += 33;
  if (chars.some((c) => c.charCodeAt(0) >= 128)) alphabet += 100;
  if (alphabet === 0) return 0;
  const perChar = Math.log2(alphabet);
  let bits = 0;
  for (let i = 0; i < chars.length; i++) {
    // A character that repeats or continues a sequence from the one before adds almost nothing.
    bits += i > 0 && predictable(chars[i - 1]!, chars[i]!) ? 1 : perChar;
  }
  return bits;
}

function predictable(previous: string, current: string): boolean {
  const pair = (previous + current).toLowerCase();
  if (pair[0] === pair[1]) return true;
  return SEQUENCES.some((sequence) => sequence.includes(pair) || sequence.includes([...pair].reverse().join("")));
}

export function passwordStrength(password: string, minLength: number): Strength {
  if ([...password.normalize("NFKC")].length < minLength) return { level: 0, label: LABELS[0] };
  const bits = estimateBits(password);
  const level = bits < 45 ? 1 : bits < 60 ? 2 : bits < 80 ? 3 : 4;
  return { level, label: LABELS[level] };
}
