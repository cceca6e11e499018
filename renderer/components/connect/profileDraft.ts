/**
 * The connect dialog's profile form as data: what it edits, the draft of its fields, and their
 * validation. Plain TypeScript: no React.
 */
import type { Profile } from '../../bridge/DesktopBridge.js';
import { checkServerUrl } from '../../live/checkServerUrl.js';

export interface Draft {
  name: string;
  /** One URL per line. */
  urls: string;
  token: string;
}

/** What the form edits: a new profile, or a saved one (built-in entries are never edited). */
export type Editing = { kind: 'new' } | { kind: 'edit'; id: string };

export interface FieldErrors {
  name?: string;
  urls?: string;
}

export const EMPTY_DRAFT: Draft = { name: '', urls: '', token: '' };
const MAX_NAME = 80;

/** The form's fields for a saved profile. */
export function draftOf(profile: Profile): Draft {
  return { name: profile.name, urls: profile.urls.join('\n'), token: profile.token ?? '' };
}

/**
 * The form for a profile whose token the server refused (or that needs one), with a note saying
 * so. A built-in entry can't be changed: the form offers a new profile for the same server, and
 * `editing` is left as it is.
 */
export function refusedTokenForm(
  active: Profile,
  hadToken: boolean,
): { editing?: Editing; draft: Draft; note: string } {
  const refused = hadToken ? 'refused the token' : 'needs a token';
  if (active.builtin) {
    return {
      draft: { name: `${active.name} (with token)`, urls: active.urls.join('\n'), token: '' },
      note: `${active.name} ${refused}. Built-in entries can't be changed, so enter the token to save a profile for this server.`,
    };
  }
  return {
    editing: { kind: 'edit', id: active.id },
    draft: draftOf(active),
    note: `“${active.name}” ${refused}. Enter the right token, then Save and connect.`,
  };
}

/** Form validation: messages per field, and the canonical URLs when valid. */
export function validateDraft(
  draft: Draft,
  profiles: Profile[],
  editingId: string | undefined,
): { ok: boolean; errors: FieldErrors; urls: string[] } {
  const errors: FieldErrors = {};
  const name = draft.name.trim();
  if (name === '') errors.name = 'Give the profile a name.';
  else if (name.length > MAX_NAME) errors.name = `Keep the name under ${MAX_NAME} characters.`;
  else if (
    profiles.some((p) => p.id !== editingId && p.name.trim().toLowerCase() === name.toLowerCase())
  ) {
    errors.name = `Another profile is already called “${name}”.`;
  }

  const lines = urlLines(draft.urls);
  const urls: string[] = [];
  if (lines.length === 0) errors.urls = 'Enter the server URL, for example http://localhost:3001.';
  for (const [index, line] of lines.entries()) {
    const check = checkServerUrl(line);
    if (!check.ok) {
      errors.urls ??= lines.length > 1 ? `Line ${index + 1}: ${check.message}` : check.message;
    } else if (!urls.includes(check.url)) urls.push(check.url);
  }
  return { ok: errors.name === undefined && errors.urls === undefined, errors, urls };
}

/** The non-empty lines of the URL field, trimmed. */
export function urlLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** crypto.randomUUID needs a secure context; plain http on a LAN address is not one. */
export function newProfileId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
