/**
 * COSE algorithms offered and accepted: EdDSA, ES256, RS256 (RFC 9053,
 * RFC 8812). Named rather than left to the library, whose default grows with
 * the runtime (ML-DSA-44 where WebCrypto has it), so every Node version
 * offers the same.
 */
export const SUPPORTED_ALGORITHMS = [-8, -7, -257];
