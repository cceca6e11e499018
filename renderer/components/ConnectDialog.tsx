import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import type { DesktopBridge, Profile } from '../bridge/DesktopBridge.js';
import { useModalDialog } from '../hooks/useModalDialog.js';
import { useStore } from '../hooks/useStore.js';
import type { PushClient } from '../live/PushClient.js';
import { CloseButton } from './CloseButton.js';
import { PHASE_DISPLAY } from './connect/phaseDisplay.js';
import {
  draftOf,
  EMPTY_DRAFT,
  newProfileId,
  refusedTokenForm,
  urlLines,
  validateDraft,
  type Draft,
  type Editing,
  type FieldErrors,
} from './connect/profileDraft.js';
import { ProfileForm, type FormStatus } from './connect/ProfileForm.js';
import { ProfileList } from './connect/ProfileList.js';
import { useConnectionTest } from './connect/useConnectionTest.js';
import { usePendingFocus } from './connect/usePendingFocus.js';
import { useProfiles } from './connect/useProfiles.js';
import './ConnectDialog.css';

export interface ConnectDialogProps {
  bridge: DesktopBridge;
  client: PushClient;
  onClose: () => void;
  onConnect: (profile: Profile) => void;
}

/**
 * The connect dialog (also on Ctrl/Cmd+K): saved profiles on the left (the built-in entry first;
 * connect, edit, delete), a profile form on the right with "Test connection". A native modal
 * <dialog>, so the page behind is inert and focus stays inside; Escape closes it.
 */
export function ConnectDialog({ bridge, client, onClose, onConnect }: ConnectDialogProps) {
  const connection = useStore(client.connection);
  const activeId = connection.target?.id;
  const [openedUnauthorized] = useState(() => client.connection.get().phase === 'unauthorized');

  const [selectedId, setSelectedId] = useState<string | undefined>(undefined);
  const [confirmId, setConfirmId] = useState<string | undefined>(undefined);

  const [editing, setEditing] = useState<Editing>({ kind: 'new' });
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  const [note, setNote] = useState<string | undefined>(undefined);
  const [showToken, setShowToken] = useState(false);
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<FormStatus | undefined>(undefined);

  const titleId = useId();
  const dialogRef = useModalDialog(onClose);
  // After useModalDialog: showing the modal moves focus, and requested focus must win.
  const { requestFocus, listRef, nameRef, urlsRef, tokenRef } = usePendingFocus(
    openedUnauthorized ? undefined : 'name',
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const {
    test,
    run: runConnectionTest,
    stop: stopTest,
    reset: resetTest,
  } = useConnectionTest(bridge);

  // Keep a new test result in view (it sits at the bottom of the form).
  useEffect(() => {
    const scroller = scrollRef.current;
    if (test.state !== 'idle' && scroller) scroller.scrollTop = scroller.scrollHeight;
  }, [test]);

  // Once loaded: select the active profile; opened because the token was refused, go straight to
  // fixing it.
  const onLoaded = useCallback(
    (list: Profile[] | undefined) => {
      if (!list) {
        requestFocus('name');
        return;
      }
      const state = client.connection.get();
      const active = list.find((p) => p.id === state.target?.id);
      setSelectedId(active?.id ?? list[0]?.id);
      if (openedUnauthorized && active && state.target) {
        const form = refusedTokenForm(active, !!state.target.token);
        if (form.editing) setEditing(form.editing);
        setDraft(form.draft);
        setNote(form.note);
        requestFocus('token');
      } else if (openedUnauthorized) {
        requestFocus('name');
      }
    },
    [client, openedUnauthorized, requestFocus],
  );
  const { profiles, loadError, warning, reload } = useProfiles(bridge, onLoaded);

  function changeDraft(patch: Partial<Draft>) {
    setDraft((d) => ({ ...d, ...patch }));
    setStatus(undefined);
    // A result describes the URLs and token it was run with.
    if ('urls' in patch || 'token' in patch) resetTest();
  }

  const editingProfile =
    editing.kind === 'edit' ? profiles?.find((p) => p.id === editing.id) : undefined;
  const checked = validateDraft(
    draft,
    profiles ?? [],
    editing.kind === 'edit' ? editing.id : undefined,
  );
  const errors: FieldErrors = attempted ? checked.errors : {};

  /** Shows a profile (or a new one) in the form, from a clean slate. */
  function openForm(next: Editing, nextDraft: Draft) {
    resetTest();
    setEditing(next);
    setDraft(nextDraft);
    setNote(undefined);
    setStatus(undefined);
    setAttempted(false);
    setShowToken(false);
    requestFocus('name');
  }

  function startNew() {
    openForm({ kind: 'new' }, EMPTY_DRAFT);
  }

  function startEdit(profile: Profile) {
    if (profile.builtin) return;
    setSelectedId(profile.id);
    setConfirmId(undefined);
    openForm({ kind: 'edit', id: profile.id }, draftOf(profile));
  }

  function runTest() {
    const lines = urlLines(draft.urls);
    if (lines.length === 0) requestFocus('urls');
    else setStatus(undefined);
    void runConnectionTest(lines, draft.token.trim());
  }

  async function save(connectAfter: boolean) {
    setAttempted(true);
    setStatus(undefined);
    if (!checked.ok) {
      requestFocus(checked.errors.name ? 'name' : 'urls');
      return;
    }
    const token = draft.token.trim();
    const profile: Profile = {
      id: editing.kind === 'edit' ? editing.id : newProfileId(),
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
      setDraft(draftOf(saved));
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
      if (next) requestFocus({ item: next.id });
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
      requestFocus({ keep: `delete:${id}` });
      return;
    }
    onClose();
  }

  const formTitle =
    editing.kind === 'new' ? 'New profile' : `Edit “${editingProfile?.name ?? draft.name}”`;

  return (
    <dialog
      ref={dialogRef}
      className="cd"
      data-testid="connect-dialog"
      aria-labelledby={titleId}
      onKeyDown={onDialogKeyDown}
    >
      <header className="cd-head">
        <div className="cd-head-text">
          <h2 id={titleId} className="cd-title">
            Connect to a server
          </h2>
          <p className="cd-subtitle">
            {connection.target && connection.phase !== 'idle'
              ? `Current: ${connection.target.name} · ${PHASE_DISPLAY[connection.phase].words}`
              : 'Not connected'}
          </p>
        </div>
        <CloseButton className="cd-icon-btn" testId="close-dialog" onClose={onClose} />
      </header>

      <div className="cd-body">
        <ProfileList
          profiles={profiles}
          loadError={loadError}
          activeId={activeId}
          phase={connection.phase}
          selectedId={selectedId}
          confirmId={confirmId}
          editingId={editing.kind === 'edit' ? editing.id : undefined}
          listRef={listRef}
          onSelect={setSelectedId}
          onConfirm={setConfirmId}
          onConnect={connect}
          onEdit={startEdit}
          onDelete={(profile) => void remove(profile)}
          onNew={startNew}
          requestFocus={requestFocus}
        />
        <ProfileForm
          title={formTitle}
          note={note}
          draft={draft}
          errors={errors}
          warning={warning}
          showToken={showToken}
          test={test}
          status={status}
          busy={busy}
          nameRef={nameRef}
          urlsRef={urlsRef}
          tokenRef={tokenRef}
          scrollRef={scrollRef}
          onChange={changeDraft}
          onToggleToken={() => setShowToken((s) => !s)}
          onTest={runTest}
          onCancelTest={stopTest}
          onSave={(connectAfter) => void save(connectAfter)}
        />
      </div>
    </dialog>
  );
}
