/**
 * Profiles on disk with the fake electron's safeStorage: the token round trip (never in clear
 * text in the file), a corrupt file kept aside and reported, and the keychain warnings.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { LOCAL_DEMO_PROFILE_ID, type Profile } from '../../common/ipc.js';
import { fake, safeStorage } from '../../test/helpers/fakeElectron.js';
import { ProfileStore } from './ProfileStore.js';
import {
  NO_ENCRYPTION_WARNING,
  PLAIN_TEXT_BACKEND_WARNING,
  safeStorageCipher,
} from './tokenCipher.js';

vi.mock('electron', () => import('../../test/helpers/fakeElectron.js'));

const TOKEN = 'very-secret-token-1234';
const cluster: Profile = {
  id: '3f0b6f0e-6a4f-4c55-9d55-0f4c1a3c9b11',
  name: 'Production',
  urls: ['https://node-a.example:3001', 'https://node-b.example:3001'],
  token: TOKEN,
};
const demo: Profile = {
  id: LOCAL_DEMO_PROFILE_ID,
  name: 'Local demo',
  urls: ['http://127.0.0.1:40000'],
  token: 'demo-token',
};

let file: string;

beforeEach(() => {
  fake.reset();
  file = join(fake.state.userData, 'profiles.json');
});

function open(platform: NodeJS.Platform = 'linux') {
  return ProfileStore.open({
    file,
    cipher: safeStorageCipher(platform),
    builtins: () => [demo],
    defaultActiveId: LOCAL_DEMO_PROFILE_ID,
    now: () => new Date('2026-03-01T10:20:30.456Z'),
  });
}

describe('ProfileStore', () => {
  it('round-trips a token through safeStorage and never writes it in clear text', async () => {
    const store = await open();
    await store.save(cluster);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(TOKEN);
    const stored = JSON.parse(text) as { profiles: { token?: { encrypted: string } }[] };
    const encrypted = stored.profiles[0]?.token?.encrypted ?? '';
    expect(Buffer.from(encrypted, 'base64').toString('latin1')).not.toContain(TOKEN);

    const reopened = await open();
    expect(reopened.get(cluster.id)).toEqual(cluster);
    expect(await reopened.storageWarning()).toBeUndefined();
  });

  it('lists the built-in local demo first; it cannot be saved or deleted', async () => {
    const store = await open();
    await store.save(cluster);
    expect(store.list().map((p) => p.id)).toEqual([LOCAL_DEMO_PROFILE_ID, cluster.id]);
    expect(store.list()[0]?.builtin).toBe(true);
    await expect(store.save({ ...demo, name: 'Mine' })).rejects.toThrow(/built-in/);
    await expect(store.delete(LOCAL_DEMO_PROFILE_ID)).rejects.toThrow(/built-in/);
    expect(readFileSync(file, 'utf8')).not.toContain('demo-token');
  });

  it('remembers the active profile and the recent ones; deleting clears them', async () => {
    const store = await open();
    expect(store.activeId()).toBe(LOCAL_DEMO_PROFILE_ID);
    await store.save(cluster);
    await store.setActive(cluster.id);
    await store.setActive(LOCAL_DEMO_PROFILE_ID);
    await store.setActive(cluster.id);
    const reopened = await open();
    expect(reopened.activeId()).toBe(cluster.id);
    expect(reopened.recent().map((p) => p.id)).toEqual([cluster.id, LOCAL_DEMO_PROFILE_ID]);
    await expect(reopened.setActive('nope')).rejects.toThrow(/no profile/);
    await reopened.delete(cluster.id);
    expect(reopened.activeId()).toBe(LOCAL_DEMO_PROFILE_ID);
    expect(reopened.recent().map((p) => p.id)).toEqual([LOCAL_DEMO_PROFILE_ID]);
  });

  it('keeps a corrupt file aside, reports it, and starts a new one', async () => {
    writeFileSync(file, '{"version":1,"profiles":[{"id":"a", "name": "tru');
    const store = await open();
    const aside = `${file}.corrupt-2026-03-01T10-20-30-456Z`;
    expect(existsSync(aside)).toBe(true);
    expect(readFileSync(aside, 'utf8')).toContain('"name": "tru');
    expect(existsSync(file)).toBe(false);
    const warning = await store.storageWarning();
    expect(warning).toContain('Saved profiles could not be read (not JSON');
    expect(warning).toContain(aside);

    await store.save(cluster);
    expect((await open()).get(cluster.id)?.token).toBe(TOKEN);
    expect(existsSync(aside)).toBe(true);
  });

  it('keeps aside a file of the wrong shape, naming the bad key', async () => {
    writeFileSync(file, JSON.stringify({ version: 1, profiles: [{ id: 'x', urls: 'nope' }] }));
    const store = await open();
    expect(await store.storageWarning()).toMatch(/profiles\[0\]\.name: .*; profiles\[0\]\.urls/);
    expect(readdirSync(fake.state.userData).filter((f) => f.includes('.corrupt-'))).toHaveLength(1);
  });

  it('warns about the plain-text backend on Linux (basic_text and unknown)', async () => {
    fake.state.backend = 'basic_text';
    const store = await open('linux');
    expect(await store.storageWarning()).toBe(PLAIN_TEXT_BACKEND_WARNING);
    fake.state.backend = 'unknown';
    expect(await store.storageWarning()).toBe(PLAIN_TEXT_BACKEND_WARNING);
    fake.state.backend = 'kwallet6';
    expect(await store.storageWarning()).toBeUndefined();
    // The backend question is Linux-only.
    fake.state.backend = 'basic_text';
    expect(await (await open('darwin')).storageWarning()).toBeUndefined();
  });

  it('without encryption keeps tokens for the session only and says so', async () => {
    fake.state.encryptionAvailable = false;
    const store = await open();
    expect(await store.storageWarning()).toBe(NO_ENCRYPTION_WARNING);
    await store.save(cluster);
    expect(store.get(cluster.id)?.token).toBe(TOKEN);
    expect(readFileSync(file, 'utf8')).not.toContain(TOKEN);
    fake.state.encryptionAvailable = true;
    expect((await open()).get(cluster.id)?.token).toBeUndefined();
  });

  it('reports a token it cannot decrypt and keeps its ciphertext', async () => {
    const store = await open();
    await store.save(cluster);
    const data = JSON.parse(readFileSync(file, 'utf8')) as {
      profiles: { token: { encrypted: string } }[];
    };
    data.profiles[0]!.token.encrypted = Buffer.from('from another keychain').toString('base64');
    writeFileSync(file, JSON.stringify(data));

    const reopened = await open();
    expect(reopened.get(cluster.id)).toEqual({ ...cluster, token: undefined });
    expect(await reopened.storageWarning()).toContain('“Production” could not be decrypted');
    await reopened.setActive(cluster.id);
    expect(readFileSync(file, 'utf8')).toContain(data.profiles[0]!.token.encrypted);
  });

  it('re-encrypts tokens when the keychain asks for it', async () => {
    const store = await open();
    await store.save(cluster);
    fake.state.shouldReEncrypt = true;
    const encrypt = vi.spyOn(safeStorage, 'encryptStringAsync');
    const reopened = await open();
    expect(reopened.get(cluster.id)?.token).toBe(TOKEN);
    expect(encrypt).toHaveBeenCalledWith(TOKEN);
    expect(readFileSync(file, 'utf8')).not.toContain(TOKEN);
    encrypt.mockRestore();
  });

  it('serialises concurrent saves', async () => {
    const store = await open();
    const many = Array.from({ length: 10 }, (_, i) =>
      store.save({ id: `p${i}`, name: `P${i}`, urls: [`http://h${i}:1`], token: `t${i}` }),
    );
    await Promise.all(many);
    const reopened = await open();
    expect(reopened.list()).toHaveLength(11);
    expect(reopened.get('p7')?.token).toBe('t7');
  });
});
