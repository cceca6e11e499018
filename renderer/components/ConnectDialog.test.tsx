// @vitest-environment jsdom
/**
 * The connect dialog with the browser bridge on jsdom's localStorage and a PushClient that never
 * connects (its connection store is set by hand): listing, saving, validation, deleting with a
 * confirmation, Escape, the "token refused" entry point, and Test connection's result.
 */
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { browserBridge, THIS_SERVER_ID } from '../bridge/browserBridge.js';
import type { DesktopBridge, Profile } from '../bridge/DesktopBridge.js';
import { PushClient } from '../live/PushClient.js';
import { initialConnection } from '../live/state.js';
import { polyfillShowModal } from '../../test/helpers/modalDialogPolyfill.js';
import { ConnectDialog } from './ConnectDialog.js';

const ORIGIN = 'http://127.0.0.1:3001';
const STAGING_URL = 'https://staging.example.com:3001';
const staging: Profile = {
  id: 'p-staging',
  name: 'Staging',
  urls: [STAGING_URL],
  token: 'tok',
};

beforeAll(polyfillShowModal);

let bridge: DesktopBridge;
let client: PushClient;

beforeEach(async () => {
  localStorage.clear();
  bridge = browserBridge(localStorage, ORIGIN);
  await bridge.saveProfile(staging);
  client = new PushClient();
});

afterEach(() => {
  cleanup();
  client.disconnect();
});

function renderDialog() {
  const onClose = vi.fn();
  const onConnect = vi.fn();
  const view = render(
    <ConnectDialog bridge={bridge} client={client} onClose={onClose} onConnect={onConnect} />,
  );
  return { ...view, onClose, onConnect };
}

async function items(): Promise<HTMLElement[]> {
  return screen.findAllByTestId('profile-item');
}

function at<T>(list: T[], index: number): T {
  const value = list[index];
  if (value === undefined) throw new Error(`nothing at ${index}`);
  return value;
}

function field(testId: string): HTMLInputElement {
  return screen.getByTestId<HTMLInputElement>(testId);
}

/** Clicks a profile in the list; its actions (connect, edit, delete) show on the selected one. */
function select(id: string): HTMLElement {
  const main = item(id).querySelector<HTMLButtonElement>('.cd-item-main');
  if (!main) throw new Error(`profile item ${id} has no button`);
  fireEvent.click(main);
  expect(item(id).dataset.selected).toBe('true');
  return item(id);
}

function item(id: string): HTMLElement {
  const found = screen.getAllByTestId('profile-item').find((e) => e.dataset.profileId === id);
  if (!found) throw new Error(`no profile item ${id}`);
  return found;
}

describe('ConnectDialog', () => {
  it('lists the built-in entry first, then saved profiles, and marks the active one', async () => {
    act(() =>
      client.connection.set({
        ...initialConnection,
        phase: 'connected',
        target: { id: 'p-staging', name: 'Staging', url: STAGING_URL },
      }),
    );
    renderDialog();
    const listed = await items();
    expect(listed.map((e) => e.dataset.profileId)).toEqual([THIS_SERVER_ID, 'p-staging']);
    expect(within(at(listed, 0)).getByText('Built-in')).toBeTruthy();
    expect(within(at(listed, 0)).getByText(ORIGIN)).toBeTruthy();
    // The active profile is selected at first, and only the selected one shows actions.
    expect(at(listed, 1).dataset.selected).toBe('true');
    expect(screen.getAllByTestId('connect-profile')).toHaveLength(1);
    expect(within(at(listed, 1)).getByTestId('edit-profile')).toBeTruthy();
    const builtin = select(THIS_SERVER_ID);
    expect(within(builtin).getByTestId('connect-profile')).toBeTruthy();
    expect(within(builtin).queryByTestId('edit-profile')).toBeNull();
    expect(within(builtin).queryByTestId('delete-profile')).toBeNull();
    expect(screen.getAllByTestId('connect-profile')).toHaveLength(1);
    expect(at(listed, 1).dataset.active).toBe('true');
    expect(at(listed, 0).dataset.active).toBe('false');
    expect(within(at(listed, 1)).getByText('Connected')).toBeTruthy();
    expect(within(at(listed, 1)).getByText('token saved')).toBeTruthy();
    expect(screen.getByTestId('connect-dialog').hasAttribute('open')).toBe(true);
  });

  it('focuses the name field when it opens, and shows the storage warning by the token', async () => {
    renderDialog();
    await items();
    expect(document.activeElement).toBe(screen.getByTestId('profile-name'));
    expect(await screen.findByText(/stored unencrypted/)).toBeTruthy();
  });

  it('validates, then saves a new profile with canonical URLs', async () => {
    renderDialog();
    await items();
    fireEvent.click(screen.getByTestId('save-profile'));
    expect(await screen.findByText('Give the profile a name.')).toBeTruthy();
    expect(screen.getByText(/Enter the server URL/)).toBeTruthy();
    expect(screen.getByTestId('profile-name').getAttribute('aria-invalid')).toBe('true');

    fireEvent.change(screen.getByTestId('profile-name'), { target: { value: '  Production ' } });
    fireEvent.change(screen.getByTestId('profile-urls'), {
      target: { value: 'https://ops-1.example.com/\nftp://nope' },
    });
    fireEvent.click(screen.getByTestId('save-profile'));
    expect(await screen.findByText(/Line 2: Only http:\/\/ and https:\/\//)).toBeTruthy();

    fireEvent.change(screen.getByTestId('profile-urls'), {
      target: {
        value: 'https://ops-1.example.com/\n\nhttps://OPS-2.example.com\nhttps://ops-1.example.com',
      },
    });
    fireEvent.change(screen.getByTestId('profile-token'), { target: { value: ' s3cret ' } });
    fireEvent.click(screen.getByTestId('save-profile'));
    await screen.findByText('Saved “Production”.');

    const saved = (await bridge.listProfiles()).find((p) => p.name === 'Production');
    expect(saved).toMatchObject({
      urls: ['https://ops-1.example.com', 'https://ops-2.example.com'],
      token: 's3cret',
    });
    if (!saved) throw new Error('not saved');
    expect(saved.id).toMatch(/^[0-9a-f-]{36}$/);
    expect((await items()).map((e) => e.dataset.profileId)).toEqual([
      THIS_SERVER_ID,
      'p-staging',
      saved.id,
    ]);
    expect(item(saved.id).dataset.selected).toBe('true');

    // Saving again updates the same profile rather than adding one.
    fireEvent.change(screen.getByTestId('profile-name'), { target: { value: 'Production EU' } });
    fireEvent.click(screen.getByTestId('save-profile'));
    await screen.findByText('Saved “Production EU”.');
    expect((await bridge.listProfiles()).map((p) => p.name)).toEqual([
      'This server',
      'Staging',
      'Production EU',
    ]);
  });

  it('refuses a second profile with the same name', async () => {
    renderDialog();
    await items();
    fireEvent.change(screen.getByTestId('profile-name'), { target: { value: 'staging' } });
    fireEvent.change(screen.getByTestId('profile-urls'), {
      target: { value: 'http://localhost:3001' },
    });
    fireEvent.click(screen.getByTestId('save-profile'));
    expect(await screen.findByText('Another profile is already called “staging”.')).toBeTruthy();
  });

  it('saves and connects', async () => {
    const { onConnect } = renderDialog();
    await items();
    fireEvent.change(screen.getByTestId('profile-name'), { target: { value: 'Local' } });
    fireEvent.change(screen.getByTestId('profile-urls'), { target: { value: 'localhost:3001' } });
    fireEvent.click(screen.getByTestId('save-and-connect'));
    expect(await screen.findByText(/Did you mean http:\/\/localhost:3001\?/)).toBeTruthy();
    fireEvent.change(screen.getByTestId('profile-urls'), {
      target: { value: 'http://localhost:3001' },
    });
    fireEvent.click(screen.getByTestId('save-and-connect'));
    await waitFor(() => expect(onConnect).toHaveBeenCalledTimes(1));
    expect(onConnect).toHaveBeenCalledWith(
      expect.objectContaining({ name: 'Local', urls: ['http://localhost:3001'] }),
    );
  });

  it('edits a saved profile and connects to one from the list', async () => {
    const { onConnect } = renderDialog();
    await items();
    fireEvent.click(within(select('p-staging')).getByTestId('edit-profile'));
    expect(field('profile-name').value).toBe('Staging');
    expect(field('profile-urls').value).toBe(STAGING_URL);
    expect(field('profile-token').value).toBe('tok');
    expect(screen.getByTestId('profile-token').getAttribute('type')).toBe('password');
    fireEvent.click(screen.getByRole('button', { name: /show/i }));
    expect(screen.getByTestId('profile-token').getAttribute('type')).toBe('text');

    fireEvent.click(within(select(THIS_SERVER_ID)).getByTestId('connect-profile'));
    expect(onConnect).toHaveBeenCalledWith(
      expect.objectContaining({ id: THIS_SERVER_ID, builtin: true }),
    );
  });

  it('deletes only after the confirmation', async () => {
    renderDialog();
    await items();
    fireEvent.click(within(select('p-staging')).getByTestId('delete-profile'));
    expect(within(item('p-staging')).getByText('Delete this profile?')).toBeTruthy();
    // Backing out keeps it.
    fireEvent.click(within(item('p-staging')).getByRole('button', { name: 'Keep' }));
    expect(within(item('p-staging')).queryByTestId('confirm-delete')).toBeNull();
    expect((await bridge.listProfiles()).map((p) => p.id)).toContain('p-staging');

    fireEvent.click(within(item('p-staging')).getByTestId('delete-profile'));
    fireEvent.click(within(item('p-staging')).getByTestId('confirm-delete'));
    await waitFor(() => expect(screen.getAllByTestId('profile-item')).toHaveLength(1));
    expect((await bridge.listProfiles()).map((p) => p.id)).toEqual([THIS_SERVER_ID]);
    expect(screen.getByText('Deleted “Staging”.')).toBeTruthy();
  });

  it('closes on Escape, and on the close button', async () => {
    const { onClose } = renderDialog();
    await items();
    fireEvent.keyDown(screen.getByTestId('profile-name'), { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByTestId('close-dialog'));
    expect(onClose).toHaveBeenCalledTimes(2);
  });

  it('backs out of a delete confirmation on the first Escape', async () => {
    const { onClose } = renderDialog();
    await items();
    fireEvent.click(within(select('p-staging')).getByTestId('delete-profile'));
    fireEvent.keyDown(within(item('p-staging')).getByTestId('confirm-delete'), { key: 'Escape' });
    expect(onClose).not.toHaveBeenCalled();
    expect(within(item('p-staging')).queryByTestId('confirm-delete')).toBeNull();
    await waitFor(() =>
      expect(document.activeElement).toBe(within(item('p-staging')).getByTestId('delete-profile')),
    );
  });

  it('opened because the token was refused: edits the active profile with the token field focused', async () => {
    act(() =>
      client.connection.set({
        ...initialConnection,
        phase: 'unauthorized',
        target: { id: 'p-staging', name: 'Staging', url: STAGING_URL, token: 'tok' },
      }),
    );
    renderDialog();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('profile-token')));
    expect(field('profile-name').value).toBe('Staging');
    expect(screen.getByText(/“Staging” refused the token/)).toBeTruthy();
    expect(item('p-staging').dataset.active).toBe('true');
    expect(within(item('p-staging')).getByText('Token refused')).toBeTruthy();
  });

  it('opened because the built-in entry needs a token: offers a profile for the same server', async () => {
    act(() =>
      client.connection.set({
        ...initialConnection,
        phase: 'unauthorized',
        target: { id: THIS_SERVER_ID, name: 'This server', url: ORIGIN },
      }),
    );
    const { onConnect } = renderDialog();
    await waitFor(() => expect(document.activeElement).toBe(screen.getByTestId('profile-token')));
    expect(field('profile-urls').value).toBe(ORIGIN);
    expect(screen.getByText(/needs a token/)).toBeTruthy();
    fireEvent.change(screen.getByTestId('profile-token'), { target: { value: 'right-token' } });
    fireEvent.click(screen.getByTestId('save-and-connect'));
    await waitFor(() => expect(onConnect).toHaveBeenCalledTimes(1));
    expect(onConnect).toHaveBeenCalledWith(
      expect.objectContaining({ urls: [ORIGIN], token: 'right-token' }),
    );
    expect(onConnect.mock.lastCall?.[0]).not.toHaveProperty('builtin');
  });

  it('shows a precise result for Test connection', async () => {
    renderDialog();
    await items();
    fireEvent.click(screen.getByTestId('test-connection'));
    const result = await screen.findByTestId('test-result');
    expect(result.dataset.ok).toBe('false');
    expect(result.dataset.kind).toBe('invalid_url');
    expect(within(result).getByText('Invalid URL')).toBeTruthy();

    fireEvent.change(screen.getByTestId('profile-urls'), { target: { value: 'ws://example.com' } });
    expect(screen.queryByTestId('test-result')).toBeNull(); // a result belongs to the URL it tested
    fireEvent.click(screen.getByTestId('test-connection'));
    await screen.findByTestId('test-result');
    await waitFor(() => expect(screen.getByTestId('test-result').dataset.kind).toBe('invalid_url'));
    expect(screen.getByText(/Use http:\/\/ instead/)).toBeTruthy();
  });

  it("uses the desktop bridge's probe when it has one, and names the cause", async () => {
    const probed: string[] = [];
    bridge = {
      ...bridge,
      kind: 'desktop',
      probeServer: (url) => {
        probed.push(url);
        return Promise.resolve({
          outcome: 'refused',
          stage: 'tcp',
          host: 'db.internal',
          port: 3001,
          code: 'ECONNREFUSED',
          elapsedMs: 1,
        });
      },
    };
    renderDialog();
    await items();
    fireEvent.change(screen.getByTestId('profile-urls'), {
      target: { value: 'http://db.internal:3001' },
    });
    fireEvent.click(screen.getByTestId('test-connection'));
    await waitFor(() => expect(screen.getByTestId('test-result').dataset.kind).toBe('refused'));
    const result = screen.getByTestId('test-result');
    expect(within(result).getByText('Connection refused')).toBeTruthy();
    expect(result.textContent).toMatch(/Nothing is listening on db\.internal:3001/);
    expect(probed).toEqual(['http://db.internal:3001']);
  });

  it('can cancel a running test', async () => {
    // A server that never answers, so the test stays running until cancelled.
    const pending = new Promise<Response>(() => undefined);
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockReturnValue(pending);
    try {
      renderDialog();
      await items();
      fireEvent.change(screen.getByTestId('profile-urls'), {
        target: { value: 'http://10.255.255.1:3001' },
      });
      fireEvent.click(screen.getByTestId('test-connection'));
      const cancel = await screen.findByTestId('cancel-test');
      expect(screen.getByTestId('test-result').dataset.kind).toBe('running');
      fireEvent.click(cancel);
      await waitFor(() => expect(screen.getByTestId('test-result').dataset.kind).toBe('cancelled'));
      expect(screen.getByTestId('test-result').dataset.ok).toBe('false');
      expect(screen.getByTestId('test-connection')).toBeTruthy();
    } finally {
      fetchSpy.mockRestore();
    }
  });
});
