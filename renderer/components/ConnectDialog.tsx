import {
  useCallback,
  useEffect,
  useId,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
import type { DesktopBridge, Profile } from '../bridge/DesktopBridge.js';
import { useStore } from '../hooks/useStore.js';
import type { PushClient } from '../live/PushClient.js';
import type { ConnectionPhase } from '../live/state.js';
import {
  checkServerUrl,
  testConnection,
  type TestFailureKind,
  type TestResult,
} from '../live/testConnection.js';
import './ConnectDialog.css';

export interface ConnectDialogProps {
  bridge: DesktopBridge;
  client: PushClient;
  onClose: () => void;
  onConnect: (profile: Profile) => void;
}

interface Draft {
  name: string;
  /** One URL per line. */
  urls: string;
  token: string;
}

/** What the form edits: a new profile, or a saved one (built-in entries are never edited). */
type Editing = { kind: 'new' } | { kind: 'edit'; id: string };

type TestState =
  | { state: 'idle' }
  | { state: 'running'; urls: string[]; controller: AbortController }
  | { state: 'done'; results: { url: string; result: TestResult }[] };

interface FieldErrors {
  name?: string;
  urls?: string;
}

type FocusTarget = 'name' | 'urls' | 'token' | { item: string } | { keep: string };

const EMPTY_DRAFT: Draft = { name: '', urls: '', token: '' };
const MAX_NAME = 80;

const PHASE: Record<
  ConnectionPhase,
  { words: string; tone: 'ok' | 'pending' | 'danger' | 'idle' }
> = {
  idle: { words: 'Active', tone: 'idle' },
  connecting: { words: 'Connecting…', tone: 'pending' },
  connected: { words: 'Connected', tone: 'ok' },
  reconnecting: { words: 'Reconnecting…', tone: 'pending' },
  unreachable: { words: 'Unreachable', tone: 'danger' },
  unauthorized: { words: 'Token refused', tone: 'danger' },
};

const FAILURE_TITLES: Record<TestFailureKind, string> = {
  invalid_url: 'Invalid URL',
  unreachable: 'Server unreachable',
  unauthorized: 'Unauthorized',
  not_opsdeck: 'Not an Opsdeck server',
  tls: 'TLS certificate problem',
  timeout: 'Timed out',
  cancelled: 'Test cancelled',
};

/**
 * The connect dialog (also on Ctrl/Cmd+K): saved profiles on the left (the built-in entry first;
 * connect, edit, delete), a profile form on the right with "Test connection". A native modal
 * <dialog>, so the page behind is inert and focus stays inside; Escape closes it.
 */
export function ConnectDialog({ bridge, client, onClose, onConnect }: ConnectDialogProps) {
  const connection = useStore(client.connection);
  const activeId = connection.target?.id;
  const [openedUnauthorized] = useState(() => client.connection.get().phase === 'unauthorized');

  const [profiles, setProfiles] = useState<Profile[] | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | undefined>(undefined);
  const [warning, setWarning] = useState<string | undefined>(undefined);
  const [selectedId, setSelectedId] = useState<string | undefined>(undefined);
  const [confirmId, setConfirmId] = useState<string | undefined>(undefined);

  const [editing, setEditing] = useState<Editing>({ kind: 'new' });
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  const [note, setNote] = useState<string | undefined>(undefined);
  const [showToken, setShowToken] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ tone: 'ok' | 'danger'; text: string } | undefined>(
    undefined,
  );
  const [test, setTest] = useState<TestState>({ state: 'idle' });

  const dialogRef = useRef<HTMLDialogElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const urlsRef = useRef<HTMLTextAreaElement>(null);
  const tokenRef = useRef<HTMLInputElement>(null);
  const pendingFocus = useRef<FocusTarget | undefined>(openedUnauthorized ? undefined : 'name');
  const testRef = useRef<AbortController | undefined>(undefined);
  const scrollRef = useRef<HTMLDivElement>(null);

  const ids = {
    title: useId(),
    formTitle: useId(),
    name: useId(),
    nameError: useId(),
    urls: useId(),
    urlsHelp: useId(),
    urlsError: useId(),
    token: useId(),
    tokenHelp: useId(),
  };

  // Open as a modal; give focus back to where it was when the dialog goes away.
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) {
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    }
    return () => {
      if (previous?.isConnected) previous.focus();
    };
  }, []);

  // Other ways a browser closes a modal dialog (close requests, dialog.close()).
  useEffect(() => {
    const dialog = dialogRef.current;
    if (!dialog) return;
    const onCancel = (event: Event) => {
      event.preventDefault();
      onClose();
    };
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('close', onClose);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('close', onClose);
    };
  }, [onClose]);

  // Move focus where the last action asked for it, once the DOM shows it.
  useEffect(() => {
    const target = pendingFocus.current;
    if (target === undefined) return;
    let element: HTMLElement | null | undefined;
    if (target === 'name') element = nameRef.current;
    else if (target === 'urls') element = urlsRef.current;
    else if (target === 'token') element = tokenRef.current;
    else if ('item' in target) element = itemButton(listRef.current, target.item);
    else element = byFocusKey(listRef.current, target.keep);
    if (!element) return; // not rendered yet (profiles still loading)
    pendingFocus.current = undefined;
    element.focus();
  });

  // Keep a new test result in view (it sits at the bottom of the form).
  useEffect(() => {
    const scroller = scrollRef.current;
    if (test.state !== 'idle' && scroller) scroller.scrollTop = scroller.scrollHeight;
  }, [test]);

  // A running test stops when the dialog goes away.
  useEffect(() => () => testRef.current?.abort(), []);

  const reload = useCallback(async (): Promise<Profile[]> => {
    const list = await bridge.listProfiles();
    setProfiles(list);
    setLoadError(undefined);
    return list;
  }, [bridge]);

  // Load the profiles; opened because the token was refused, go straight to fixing it.
  useEffect(() => {
    const run = { cancelled: false };
    void (async () => {
      try {
        const [list, storageWarning] = await Promise.all([
          bridge.listProfiles(),
          bridge.storageWarning(),
        ]);
        if (run.cancelled) return;
        setProfiles(list);
        setWarning(storageWarning);
        const state = client.connection.get();
        const active = list.find((p) => p.id === state.target?.id);
        setSelectedId(active?.id ?? list[0]?.id);
        if (openedUnauthorized && active && state.target) {
          const refused = state.target.token ? 'refused the token' : 'needs a token';
          if (active.builtin) {
            setDraft({
              name: `${active.name} (with token)`,
              urls: active.urls.join('\n'),
              token: '',
            });
            setNote(
              `${active.name} ${refused}. Built-in entries can't be changed, so enter the token to save a profile for this server.`,
            );
          } else {
            setEditing({ kind: 'edit', id: active.id });
            setDraft({
              name: active.name,
              urls: active.urls.join('\n'),
              token: active.token ?? '',
            });
            setNote(`“${active.name}” ${refused}. Enter the right token, then Save and connect.`);
          }
          pendingFocus.current = 'token';
        } else if (openedUnauthorized) {
          pendingFocus.current = 'name';
        }
      } catch (error) {
        if (run.cancelled) return;
        setProfiles([]);
        setLoadError(`Saved profiles could not be loaded: ${(error as Error).message}`);
        pendingFocus.current = 'name';
      }
    })();
    return () => {
      run.cancelled = true;
    };
  }, [bridge, client, openedUnauthorized]);

  const stopTest = useCallback(() => {
    testRef.current?.abort();
    testRef.current = undefined;
  }, []);

  function changeDraft(patch: Partial<Draft>) {
    setDraft((d) => ({ ...d, ...patch }));
    setStatus(undefined);
    if ('urls' in patch || 'token' in patch) {
      // A result describes the URLs and token it was run with.
      stopTest();
      setTest({ state: 'idle' });
    }
  }

  const editingProfile =
    editing.kind === 'edit' ? profiles?.find((p) => p.id === editing.id) : undefined;
  const checked = validate(draft, profiles ?? [], editing.kind === 'edit' ? editing.id : undefined);
  const errors: FieldErrors = attempted ? checked.errors : {};

  function startNew() {
    stopTest();
    setEditing({ kind: 'new' });
    setDraft(EMPTY_DRAFT);
    setNote(undefined);
    setStatus(undefined);
    setAttempted(false);
    setShowToken(false);
    setTest({ state: 'idle' });
    pendingFocus.current = 'name';
  }

  function startEdit(profile: Profile) {
    if (profile.builtin) return;
    stopTest();
    setSelectedId(profile.id);
    setConfirmId(undefined);
    setEditing({ kind: 'edit', id: profile.id });
    setDraft({ name: profile.name, urls: profile.urls.join('\n'), token: profile.token ?? '' });
    setNote(undefined);
    setStatus(undefined);
    setAttempted(false);
    setShowToken(false);
    setTest({ state: 'idle' });
    pendingFocus.current = 'name';
  }

  async function runTest() {
    const lines = urlLines(draft.urls);
    stopTest();
    if (lines.length === 0) {
      const message = 'Enter a server URL to test, for example http://localhost:3001.';
      setTest({
        state: 'done',
        results: [{ url: '', result: { ok: false, kind: 'invalid_url', message } }],
      });
      pendingFocus.current = 'urls';
      return;
    }
    const controller = new AbortController();
    testRef.current = controller;
    setStatus(undefined);
    setTest({ state: 'running', urls: lines, controller });
    const token = draft.token.trim();
    const results = await Promise.all(
      lines.map(async (url) => ({
        url,
        result: await testConnection(
          { url, ...(token ? { token } : {}) },
          { signal: controller.signal },
        ),
      })),
    );
    if (testRef.current === controller) testRef.current = undefined;
    // Cancelled with the button: show that. Stopped because the inputs changed: show nothing.
    setTest((current) =>
      current.state === 'running' && current.controller === controller
        ? { state: 'done', results }
        : current,
    );
  }

  async function save(connectAfter: boolean) {
    setAttempted(true);
    setStatus(undefined);
    if (!checked.ok) {
      pendingFocus.current = checked.errors.name ? 'name' : 'urls';
      return;
    }
    const token = draft.token.trim();
    const profile: Profile = {
      id: editing.kind === 'edit' ? editing.id : newId(),
      name: draft.name.trim(),
      urls: checked.urls,
      ...(token ? { token } : {}),
    };
    setBusy(true);
    try {
      const saved = await bridge.saveProfile(profile);
      await reload();
      setSelectedId(saved.id);
      setNote(undefined);
      if (connectAfter) {
        stopTest();
        onConnect(saved);
        return;
      }
      setEditing({ kind: 'edit', id: saved.id });
      setDraft({ name: saved.name, urls: saved.urls.join('\n'), token: saved.token ?? '' });
      setAttempted(false);
      setStatus({
        tone: 'ok',
        text:
          saved.id === activeId
            ? `Saved “${saved.name}”. Connect to it again to use the changes.`
            : `Saved “${saved.name}”.`,
      });
    } catch (error) {
      setStatus({ tone: 'danger', text: `Could not save: ${(error as Error).message}` });
    } finally {
      setBusy(false);
    }
  }

  async function remove(profile: Profile) {
    try {
      await bridge.deleteProfile(profile.id);
      const list = await reload();
      setConfirmId(undefined);
      if (editing.kind === 'edit' && editing.id === profile.id) startNew();
      const next = list.find((p) => p.id === activeId) ?? list[0];
      setSelectedId(next?.id);
      if (next) pendingFocus.current = { item: next.id };
      setStatus({ tone: 'ok', text: `Deleted “${profile.name}”.` });
    } catch (error) {
      setConfirmId(undefined);
      setStatus({
        tone: 'danger',
        text: `Could not delete “${profile.name}”: ${(error as Error).message}`,
      });
    }
  }

  function connect(profile: Profile) {
    stopTest();
    onConnect(profile);
  }

  function onDialogKeyDown(event: KeyboardEvent<HTMLDialogElement>) {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    if (confirmId !== undefined) {
      // Escape first backs out of the delete confirmation.
      const id = confirmId;
      setConfirmId(undefined);
      pendingFocus.current = { keep: `delete:${id}` };
      return;
    }
    onClose();
  }

  function onListKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    if (!profiles || profiles.length === 0) return;
    const target = event.target as HTMLElement;
    if (!target.classList.contains('cd-item-main')) return;
    const index = profiles.findIndex(
      (p) => p.id === target.dataset.focusKey?.replace(/^item:/, ''),
    );
    let next: number;
    if (event.key === 'ArrowDown') next = Math.min(profiles.length - 1, index + 1);
    else if (event.key === 'ArrowUp') next = Math.max(0, index - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = profiles.length - 1;
    else return;
    event.preventDefault();
    const profile = profiles[next];
    if (!profile) return;
    setSelectedId(profile.id);
    itemButton(listRef.current, profile.id)?.focus();
  }

  const running = test.state === 'running';
  const formTitle =
    editing.kind === 'new' ? 'New profile' : `Edit “${editingProfile?.name ?? draft.name}”`;
  const savedCount = profiles?.filter((p) => !p.builtin).length ?? 0;

  return (
    <dialog
      ref={dialogRef}
      className="cd"
      data-testid="connect-dialog"
      aria-labelledby={ids.title}
      onKeyDown={onDialogKeyDown}
    >
      <header className="cd-head">
        <div className="cd-head-text">
          <h2 id={ids.title} className="cd-title">
            Connect to a server
          </h2>
          <p className="cd-subtitle">
            {connection.target && connection.phase !== 'idle'
              ? `Current: ${connection.target.name} · ${PHASE[connection.phase].words}`
              : 'Not connected'}
          </p>
        </div>
        <button
          type="button"
          className="cd-icon-btn"
          data-testid="close-dialog"
          aria-label="Close"
          title="Close (Esc)"
          onClick={onClose}
        >
          <CloseIcon />
        </button>
      </header>

      <div className="cd-body">
        <nav className="cd-side" aria-label="Saved profiles">
          <div className="cd-side-head">
            <h3 className="cd-side-title">Profiles</h3>
            <span className="cd-count">{profiles ? profiles.length : ''}</span>
          </div>
          {loadError && (
            <p className="cd-msg cd-msg--danger" role="alert">
              {loadError}
            </p>
          )}
          {profiles === undefined ? (
            <p className="cd-muted cd-side-empty">Loading profiles…</p>
          ) : (
            <ul className="cd-list" ref={listRef} onKeyDown={onListKeyDown}>
              {profiles.map((profile) => {
                const active = profile.id === activeId;
                const selected = profile.id === selectedId;
                const phase = PHASE[connection.phase];
                const editingThis = editing.kind === 'edit' && editing.id === profile.id;
                return (
                  <li
                    key={profile.id}
                    className="cd-item"
                    data-testid="profile-item"
                    data-profile-id={profile.id}
                    data-active={active ? 'true' : 'false'}
                    data-selected={selected ? 'true' : 'false'}
                    data-editing={editingThis ? 'true' : 'false'}
                  >
                    <button
                      type="button"
                      className="cd-item-main"
                      data-focus-key={`item:${profile.id}`}
                      aria-pressed={selected}
                      aria-current={active ? 'true' : undefined}
                      title={profile.urls.join('\n')}
                      onClick={() => {
                        setSelectedId(profile.id);
                        if (confirmId !== profile.id) setConfirmId(undefined);
                      }}
                      onDoubleClick={() => connect(profile)}
                    >
                      <span
                        className={`cd-dot cd-dot--${active ? phase.tone : 'none'}`}
                        aria-hidden="true"
                      />
                      <span className="cd-item-text">
                        <span className="cd-item-line">
                          <span className="cd-item-name">{profile.name}</span>
                          {profile.builtin && <span className="cd-badge">Built-in</span>}
                          {active && (
                            <span className={`cd-badge cd-badge--${phase.tone}`}>
                              {phase.words}
                            </span>
                          )}
                        </span>
                        <span className="cd-item-url">
                          {profile.urls[0] ?? ''}
                          {profile.urls.length > 1 && (
                            <span className="cd-more"> +{profile.urls.length - 1} more</span>
                          )}
                        </span>
                        {profile.token && (
                          <span className="cd-item-token">
                            <KeyIcon /> token saved
                          </span>
                        )}
                      </span>
                    </button>
                    {!selected ? null : confirmId === profile.id ? (
                      <div
                        className="cd-confirm"
                        role="group"
                        aria-label={`Delete ${profile.name}?`}
                      >
                        <span className="cd-confirm-text">Delete this profile?</span>
                        <button
                          type="button"
                          className="cd-btn cd-btn--small cd-btn--danger"
                          data-testid="confirm-delete"
                          onClick={() => void remove(profile)}
                        >
                          Delete
                        </button>
                        <button
                          type="button"
                          className="cd-btn cd-btn--small cd-btn--ghost"
                          data-focus-key={`keep:${profile.id}`}
                          onClick={() => {
                            setConfirmId(undefined);
                            pendingFocus.current = { keep: `delete:${profile.id}` };
                          }}
                        >
                          Keep
                        </button>
                      </div>
                    ) : (
                      <div className="cd-item-actions">
                        <button
                          type="button"
                          className="cd-btn cd-btn--small cd-btn--primary"
                          data-testid="connect-profile"
                          aria-label={`Connect to ${profile.name}`}
                          onClick={() => connect(profile)}
                        >
                          {active && connection.phase === 'connected' ? 'Reconnect' : 'Connect'}
                        </button>
                        {!profile.builtin && (
                          <>
                            <button
                              type="button"
                              className="cd-btn cd-btn--small cd-btn--ghost"
                              data-testid="edit-profile"
                              aria-label={`Edit ${profile.name}`}
                              onClick={() => startEdit(profile)}
                            >
                              Edit
                            </button>
                            <button
                              type="button"
                              className="cd-btn cd-btn--small cd-btn--ghost cd-btn--danger-text"
                              data-testid="delete-profile"
                              data-focus-key={`delete:${profile.id}`}
                              aria-label={`Delete ${profile.name}`}
                              onClick={() => {
                                setSelectedId(profile.id);
                                setConfirmId(profile.id);
                                pendingFocus.current = { keep: `keep:${profile.id}` };
                              }}
                            >
                              Delete
                            </button>
                          </>
                        )}
                        {profile.builtin && (
                          <span className="cd-hint">The server that served this page</span>
                        )}
                      </div>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
          {profiles !== undefined && savedCount === 0 && (
            <p className="cd-muted cd-side-empty">No saved profiles yet. Add one with the form.</p>
          )}
          <button
            type="button"
            className="cd-btn cd-btn--ghost cd-new"
            data-testid="new-profile"
            onClick={startNew}
          >
            <PlusIcon /> New profile
          </button>
        </nav>

        <form
          className="cd-form"
          aria-labelledby={ids.formTitle}
          noValidate
          onSubmit={(event) => {
            event.preventDefault();
            void save(true);
          }}
        >
          <h3 id={ids.formTitle} className="cd-form-title">
            {formTitle}
          </h3>
          <div className="cd-form-scroll" ref={scrollRef}>
            {note && (
              <p className="cd-msg cd-msg--danger" role="alert">
                {note}
              </p>
            )}

            <div className="cd-field">
              <label htmlFor={ids.name}>Name</label>
              <input
                id={ids.name}
                ref={nameRef}
                data-testid="profile-name"
                className="cd-input"
                value={draft.name}
                placeholder="Production"
                autoComplete="off"
                spellCheck={false}
                aria-invalid={errors.name ? true : undefined}
                aria-describedby={errors.name ? ids.nameError : undefined}
                onChange={(e) => changeDraft({ name: e.target.value })}
              />
              {errors.name && (
                <p id={ids.nameError} className="cd-error">
                  {errors.name}
                </p>
              )}
            </div>

            <div className="cd-field">
              <label htmlFor={ids.urls}>Server URL</label>
              <textarea
                id={ids.urls}
                ref={urlsRef}
                data-testid="profile-urls"
                className="cd-input cd-input--mono"
                rows={2}
                value={draft.urls}
                placeholder={'https://ops.example.com:3001'}
                autoComplete="off"
                spellCheck={false}
                aria-invalid={errors.urls ? true : undefined}
                aria-describedby={`${ids.urlsHelp}${errors.urls ? ` ${ids.urlsError}` : ''}`}
                onChange={(e) => changeDraft({ urls: e.target.value })}
              />
              <p id={ids.urlsHelp} className="cd-help">
                One URL per line. Several lines are nodes of one cluster, tried in order.
              </p>
              {errors.urls && (
                <p id={ids.urlsError} className="cd-error">
                  {errors.urls}
                </p>
              )}
            </div>

            <div className="cd-field">
              <label htmlFor={ids.token}>
                Token <span className="cd-optional">optional</span>
              </label>
              <div className="cd-token">
                <input
                  id={ids.token}
                  ref={tokenRef}
                  data-testid="profile-token"
                  className="cd-input cd-input--mono"
                  type={showToken ? 'text' : 'password'}
                  value={draft.token}
                  placeholder="Needed when the server has auth.tokens"
                  autoComplete="off"
                  spellCheck={false}
                  aria-describedby={warning ? ids.tokenHelp : undefined}
                  onChange={(e) => changeDraft({ token: e.target.value })}
                />
                <button
                  type="button"
                  className="cd-btn cd-btn--ghost cd-token-toggle"
                  aria-pressed={showToken}
                  aria-controls={ids.token}
                  onClick={() => setShowToken((s) => !s)}
                >
                  <EyeIcon off={showToken} /> {showToken ? 'Hide' : 'Show'}
                </button>
              </div>
              {warning && (
                <p id={ids.tokenHelp} className="cd-warning">
                  <WarnIcon /> {warning}
                </p>
              )}
            </div>

            <div className="cd-test" aria-live="polite">
              {test.state === 'running' && (
                <div
                  className="cd-result cd-result--running"
                  data-testid="test-result"
                  data-ok=""
                  data-kind="running"
                >
                  <span className="cd-spinner" aria-hidden="true" />
                  <div className="cd-result-body">
                    <p className="cd-result-title">
                      Testing {test.urls.length > 1 ? `${test.urls.length} URLs` : test.urls[0]}…
                    </p>
                    <p className="cd-result-text">Probing HTTP, then Socket.IO with the token.</p>
                  </div>
                </div>
              )}
              {test.state === 'done' && <TestResults results={test.results} />}
            </div>
            {status && (
              <p
                className={`cd-msg cd-msg--${status.tone}`}
                role={status.tone === 'danger' ? 'alert' : 'status'}
              >
                {status.text}
              </p>
            )}
          </div>

          <div className="cd-form-foot">
            <button
              key="test"
              type="button"
              className="cd-btn cd-btn--ghost"
              data-testid={running ? 'cancel-test' : 'test-connection'}
              onClick={() => {
                if (running) {
                  stopTest();
                  return;
                }
                void runTest();
              }}
            >
              {running ? (
                <>
                  <StopIcon /> Cancel test
                </>
              ) : (
                <>
                  <PulseIcon /> Test connection
                </>
              )}
            </button>
            <span className="cd-spacer" />
            <button
              type="button"
              className="cd-btn"
              data-testid="save-profile"
              disabled={busy}
              onClick={() => void save(false)}
            >
              Save
            </button>
            <button
              type="submit"
              className="cd-btn cd-btn--primary"
              data-testid="save-and-connect"
              disabled={busy}
            >
              Save and connect
            </button>
          </div>
        </form>
      </div>
    </dialog>
  );
}

function TestResults({ results }: { results: { url: string; result: TestResult }[] }) {
  const failure = results.find((r) => !r.result.ok);
  const ok = failure === undefined;
  const kind = failure && !failure.result.ok ? failure.result.kind : 'ok';
  const first = results[0];
  if (!first) return null;
  const single = results.length === 1;
  return (
    <div
      className={`cd-result cd-result--${ok ? 'ok' : kind === 'cancelled' ? 'neutral' : 'danger'}`}
      data-testid="test-result"
      data-ok={ok ? 'true' : 'false'}
      data-kind={kind}
    >
      <span className="cd-result-icon" aria-hidden="true">
        {ok ? <CheckIcon /> : kind === 'cancelled' ? <StopIcon /> : <CrossIcon />}
      </span>
      <div className="cd-result-body">
        {single ? (
          <SingleResult result={first.result} />
        ) : (
          <>
            <p className="cd-result-title">
              {ok
                ? `All ${results.length} URLs answer`
                : `${results.filter((r) => !r.result.ok).length} of ${results.length} URLs failed`}
            </p>
            <ul className="cd-result-list">
              {results.map(({ url, result }) => (
                <li key={url} data-ok={result.ok ? 'true' : 'false'}>
                  <span className="cd-result-url">{url}</span>
                  {result.ok ? (
                    <span className="cd-muted">
                      {serverLabel(result.serverName, result.version)} ·{' '}
                      {plural(result.nodes, 'node')} · {plural(result.sections, 'section')} ·{' '}
                      {formatRtt(result.rttMs)}
                    </span>
                  ) : (
                    <span>
                      <strong>{FAILURE_TITLES[result.kind]}:</strong> {result.message}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}

function SingleResult({ result }: { result: TestResult }) {
  if (!result.ok) {
    return (
      <>
        <p className="cd-result-title">{FAILURE_TITLES[result.kind]}</p>
        <p className="cd-result-text">{result.message}</p>
      </>
    );
  }
  return (
    <>
      <p className="cd-result-title">
        Connection OK{' '}
        <span className="cd-result-server">{serverLabel(result.serverName, result.version)}</span>
      </p>
      <dl className="cd-stats">
        <div>
          <dt>Nodes</dt>
          <dd>{result.nodes}</dd>
        </div>
        <div>
          <dt>Sections</dt>
          <dd>{result.sections}</dd>
        </div>
        <div>
          <dt>Round trip</dt>
          <dd>{formatRtt(result.rttMs)}</dd>
        </div>
      </dl>
      <p className="cd-result-foot">
        {result.url} · node {result.nodeId}
      </p>
    </>
  );
}

/** Form validation: messages per field, and the canonical URLs when valid. */
function validate(
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

function urlLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

function byFocusKey(list: HTMLElement | null, key: string): HTMLElement | undefined {
  if (!list) return undefined;
  return Array.from(list.querySelectorAll<HTMLElement>('[data-focus-key]')).find(
    (e) => e.dataset.focusKey === key,
  );
}

function itemButton(list: HTMLElement | null, id: string): HTMLElement | undefined {
  return byFocusKey(list, `item:${id}`);
}

/** crypto.randomUUID needs a secure context; plain http on a LAN address is not one. */
function newId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function serverLabel(name: string, version: string): string {
  const display = name === 'opsdeck' ? 'Opsdeck' : name;
  return `${display} ${version}`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function formatRtt(ms: number): string {
  const digits = ms < 10 ? 1 : 0;
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(ms)} ms`;
}

function Icon({ children, className }: { children: ReactNode; className?: string }) {
  return (
    <svg
      className={`cd-svg ${className ?? ''}`}
      viewBox="0 0 24 24"
      width="16"
      height="16"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

function CloseIcon() {
  return (
    <Icon>
      <path d="M6 6l12 12M18 6L6 18" />
    </Icon>
  );
}
function PlusIcon() {
  return (
    <Icon>
      <path d="M12 5v14M5 12h14" />
    </Icon>
  );
}
function CheckIcon() {
  return (
    <Icon>
      <path d="M5 12.5l4.5 4.5L19 7.5" />
    </Icon>
  );
}
function CrossIcon() {
  return (
    <Icon>
      <path d="M7 7l10 10M17 7L7 17" />
    </Icon>
  );
}
function StopIcon() {
  return (
    <Icon>
      <rect x="7" y="7" width="10" height="10" rx="1.5" />
    </Icon>
  );
}
function PulseIcon() {
  return (
    <Icon>
      <path d="M3 12h4l2.5-6 4 12 2.5-6H21" />
    </Icon>
  );
}
function KeyIcon() {
  return (
    <Icon className="cd-svg--small">
      <circle cx="8" cy="15" r="4" />
      <path d="M11 12l8-8M16 7l2.5 2.5M14 9l2 2" />
    </Icon>
  );
}
function WarnIcon() {
  return (
    <Icon className="cd-svg--small">
      <path d="M12 4l9 16H3z" />
      <path d="M12 10v4M12 17v.01" />
    </Icon>
  );
}
function EyeIcon({ off }: { off: boolean }) {
  return (
    <Icon>
      <path d="M2.5 12s3.5-6.5 9.5-6.5 9.5 6.5 9.5 6.5-3.5 6.5-9.5 6.5S2.5 12 2.5 12z" />
      <circle cx="12" cy="12" r="2.8" />
      {off && <path d="M4 4l16 16" />}
    </Icon>
  );
}
