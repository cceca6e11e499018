import { safeStorage } from 'electron';

/** Encrypts profile tokens for the profiles file; base64 text in and out. */
export interface TokenCipher {
  /** Whether tokens can be encrypted at all (else they are kept for the session only). */
  available(): Promise<boolean>;
  encrypt(token: string): Promise<string>;
  /** `reencrypt`: the key was rotated; store the token again. */
  decrypt(base64: string): Promise<{ token: string; reencrypt: boolean }>;
  /** Why saved tokens are less safe than the user may think, if they are. */
  warning(): Promise<string | undefined>;
}

/** Linux backends that are no keyring at all: Electron falls back to a hard-coded key. */
const PLAIN_TEXT_BACKENDS = new Set(['basic_text', 'unknown']);

export const NO_ENCRYPTION_WARNING =
  'Tokens cannot be encrypted on this system (no OS keychain is available), so they are kept ' +
  'only until Opsdeck quits and are not saved to disk.';

export const PLAIN_TEXT_BACKEND_WARNING =
  'No keyring (GNOME Keyring, KWallet) was found, so saved tokens are only obfuscated with ' +
  "Electron's plain-text fallback: anyone who can read your files can recover them.";

/**
 * Electron's safeStorage (OS keychain: Keychain on macOS, DPAPI on Windows, libsecret/KWallet on
 * Linux), through its asynchronous API: the synchronous one is deprecated in Electron 45.
 */
export function safeStorageCipher(platform: NodeJS.Platform = process.platform): TokenCipher {
  return {
    available: () => safeStorage.isAsyncEncryptionAvailable(),
    async encrypt(token) {
      return (await safeStorage.encryptStringAsync(token)).toString('base64');
    },
    async decrypt(base64) {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(
        Buffer.from(base64, 'base64'),
      );
      return { token: result, reencrypt: shouldReEncrypt };
    },
    async warning() {
      if (!(await safeStorage.isAsyncEncryptionAvailable())) return NO_ENCRYPTION_WARNING;
      if (
        platform === 'linux' &&
        PLAIN_TEXT_BACKENDS.has(safeStorage.getSelectedStorageBackend())
      ) {
        return PLAIN_TEXT_BACKEND_WARNING;
      }
      return undefined;
    },
  };
}
