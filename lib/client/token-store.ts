// Where a native app keeps its tokens. In React Native that is the platform's
// secure storage (expo-secure-store, react-native-keychain); in tests, memory.
// The client library never decides where tokens live.

export type StoredTokens = {
  accessToken: string;
  refreshToken: string;
  /** Epoch milliseconds, from the token endpoint's expires_in. */
  accessTokenExpiresAt: number;
};

export interface TokenStore {
  load(): Promise<StoredTokens | null>;
  /** null signs out: forget both tokens. */
  save(tokens: StoredTokens | null): Promise<void>;
}

export function memoryTokenStore(initial: StoredTokens | null = null): TokenStore {
  let tokens = initial;
  return {
    load: async () => tokens,
    save: async (next) => {
      tokens = next;
    },
  };
}
