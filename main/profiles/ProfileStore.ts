import { rename } from 'node:fs/promises';
import { z } from 'zod';
import { PROFILE_ID_PATTERN, type Profile } from '../../common/ipc.js';
import { describeIssues } from '../../common/schemas.js';
import { readJsonFile, writeJsonAtomic } from '../storage/jsonFile.js';
import type { TokenCipher } from './tokenCipher.js';

const storedProfileSchema = z.object({
  id: z.string().regex(PROFILE_ID_PATTERN),
  name: z.string(),
  urls: z.array(z.string()),
  /** safeStorage output, base64. Tokens are never written in clear text. */
  token: z.object({ encrypted: z.string() }).optional(),
});

const profilesFileSchema = z.object({
  version: z.literal(1),
  active: z.string().optional(),
  recent: z.array(z.string()).default([]),
  profiles: z.array(storedProfileSchema),
});

type ProfilesFile = z.infer<typeof profilesFileSchema>;

interface Entry {
  profile: Profile;
  /** The token as stored (absent: no token, or one kept for this session only). */
  encrypted?: string;
}

export interface ProfileStoreOptions {
  /** profiles.json in the user-data folder. */
  file: string;
  cipher: TokenCipher;
  /** Built-in entries listed first (the local demo); they cannot be saved or deleted. */
  builtins?: () => Profile[];
  /** The default active profile when none was chosen yet. */
  defaultActiveId?: string;
  now?: () => Date;
  log?: (line: string) => void;
}

const MAX_RECENT = 8;

/**
 * Saved connection profiles, persisted as JSON in the user-data folder with tokens encrypted by
 * safeStorage. Writes are atomic and serialised. A file that cannot be read is renamed aside
 * (`profiles.json.corrupt-<timestamp>`) and reported through storageWarning(), never dropped.
 */
export class ProfileStore {
  private entries: Entry[] = [];
  private active: string | undefined;
  private recentIds: string[] = [];
  private readonly problems: string[] = [];
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<() => void>();

  private constructor(private readonly options: ProfileStoreOptions) {}

  static async open(options: ProfileStoreOptions): Promise<ProfileStore> {
    const store = new ProfileStore(options);
    await store.load();
    return store;
  }

  list(): Profile[] {
    return [...this.builtins(), ...this.entries.map((e) => ({ ...e.profile }))];
  }

  get(id: string): Profile | undefined {
    return this.list().find((p) => p.id === id);
  }

  /** The last profile chosen, else the default (the local demo). */
  activeId(): string | undefined {
    if (this.active !== undefined && this.get(this.active)) return this.active;
    return this.options.defaultActiveId;
  }

  /** Recently chosen profiles, newest first (for the File menu). */
  recent(limit = 5): Profile[] {
    return this.recentIds
      .map((id) => this.get(id))
      .filter((p): p is Profile => p !== undefined)
      .slice(0, limit);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Creates or replaces (by id) a profile; returns it as stored. */
  save(input: Profile): Promise<Profile> {
    return this.serial(async () => {
      if (input.builtin || this.isBuiltin(input.id)) {
        throw new Error('built-in profiles cannot be changed');
      }
      const profile: Profile = {
        id: input.id,
        name: input.name,
        urls: [...input.urls],
        ...(input.token ? { token: input.token } : {}),
      };
      const entry: Entry = { profile };
      if (profile.token && (await this.options.cipher.available())) {
        entry.encrypted = await this.options.cipher.encrypt(profile.token);
      }
      const index = this.entries.findIndex((e) => e.profile.id === profile.id);
      if (index >= 0) this.entries[index] = entry;
      else this.entries.push(entry);
      await this.persist();
      return { ...profile };
    });
  }

  delete(id: string): Promise<void> {
    return this.serial(async () => {
      if (this.isBuiltin(id)) throw new Error('built-in profiles cannot be deleted');
      this.entries = this.entries.filter((e) => e.profile.id !== id);
      this.recentIds = this.recentIds.filter((r) => r !== id);
      if (this.active === id) this.active = undefined;
      await this.persist();
    });
  }

  setActive(id: string): Promise<void> {
    return this.serial(async () => {
      if (!this.get(id)) throw new Error(`no profile with id ${id}`);
      this.active = id;
      this.recentIds = [id, ...this.recentIds.filter((r) => r !== id)].slice(0, MAX_RECENT);
      await this.persist();
    });
  }

  /** Problems met reading the file, and how safe saved tokens are; undefined when all is well. */
  async storageWarning(): Promise<string | undefined> {
    const cipher = await this.options.cipher.warning();
    const all = [...this.problems, ...(cipher ? [cipher] : [])];
    return all.length > 0 ? all.join(' ') : undefined;
  }

  private builtins(): Profile[] {
    return (this.options.builtins?.() ?? []).map((p) => ({ ...p, builtin: true }));
  }

  private isBuiltin(id: string): boolean {
    return this.builtins().some((p) => p.id === id);
  }

  private async load(): Promise<void> {
    const { file } = this.options;
    const read = await readJsonFile(file);
    if (read.kind === 'missing') return;
    if (read.kind === 'corrupt') return this.setAside(`not JSON: ${read.reason}`);
    const parsed = profilesFileSchema.safeParse(read.value);
    if (!parsed.success) return this.setAside(describeIssues(parsed.error).join('; '));

    this.active = parsed.data.active;
    this.recentIds = parsed.data.recent;
    let reencrypted = false;
    for (const stored of parsed.data.profiles) {
      const entry = await this.decryptEntry(stored);
      reencrypted ||= entry.reencrypt;
      this.entries.push(entry.entry);
    }
    if (reencrypted) await this.persist();
  }

  private async decryptEntry(
    stored: ProfilesFile['profiles'][number],
  ): Promise<{ entry: Entry; reencrypt: boolean }> {
    const profile: Profile = { id: stored.id, name: stored.name, urls: stored.urls };
    if (!stored.token) return { entry: { profile }, reencrypt: false };
    try {
      const { token, reencrypt } = await this.options.cipher.decrypt(stored.token.encrypted);
      const encrypted = reencrypt
        ? await this.options.cipher.encrypt(token)
        : stored.token.encrypted;
      return { entry: { profile: { ...profile, token }, encrypted }, reencrypt };
    } catch (error) {
      // Keep the ciphertext (the keychain may be back next time); the user can enter it again.
      this.problems.push(
        `The saved token of “${stored.name}” could not be decrypted; enter it again in the ` +
          'connect dialog.',
      );
      this.log(`token of profile ${stored.id} not decrypted: ${String(error)}`);
      return { entry: { profile, encrypted: stored.token.encrypted }, reencrypt: false };
    }
  }

  private async setAside(reason: string): Promise<void> {
    const { file } = this.options;
    const stamp = (this.options.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
    const aside = `${file}.corrupt-${stamp}`;
    await rename(file, aside);
    this.problems.push(
      `Saved profiles could not be read (${reason}); the file was kept as ${aside} and a new ` +
        'one is started.',
    );
    this.log(`profiles file unreadable (${reason}); moved to ${aside}`);
  }

  private async persist(): Promise<void> {
    const data: ProfilesFile = {
      version: 1,
      ...(this.active !== undefined ? { active: this.active } : {}),
      recent: this.recentIds,
      profiles: this.entries.map(({ profile, encrypted }) => ({
        id: profile.id,
        name: profile.name,
        urls: profile.urls,
        ...(encrypted !== undefined ? { token: { encrypted } } : {}),
      })),
    };
    await writeJsonAtomic(this.options.file, data);
    for (const listener of [...this.listeners]) listener();
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private log(line: string): void {
    this.options.log?.(line);
  }
}
