import type { KeyboardEvent, RefObject } from 'react';
import type { Profile } from '../../bridge/DesktopBridge.js';
import type { ConnectionPhase } from '../../live/state.js';
import { PlusIcon } from './icons.js';
import { ProfileItem } from './ProfileItem.js';
import { itemButton, type FocusTarget } from './usePendingFocus.js';
import { DialogButton } from './DialogButton.js';

export interface ProfileListProps {
  /** Undefined while loading. */
  profiles: Profile[] | undefined;
  loadError: string | undefined;
  /** The profile the console's connection is for. */
  activeId: string | undefined;
  phase: ConnectionPhase;
  selectedId: string | undefined;
  /** The profile whose delete confirmation shows. */
  confirmId: string | undefined;
  /** The profile the form edits. */
  editingId: string | undefined;
  listRef: RefObject<HTMLUListElement | null>;
  onSelect: (id: string) => void;
  onConfirm: (id: string | undefined) => void;
  onConnect: (profile: Profile) => void;
  onEdit: (profile: Profile) => void;
  onDelete: (profile: Profile) => void;
  onNew: () => void;
  requestFocus: (target: FocusTarget) => void;
}

/**
 * The connect dialog's side: the profiles (the built-in entry first), browsed with the arrow keys,
 * Home and End, and "New profile".
 */
export function ProfileList({
  profiles,
  loadError,
  activeId,
  phase,
  selectedId,
  confirmId,
  editingId,
  listRef,
  onSelect,
  onConfirm,
  onConnect,
  onEdit,
  onDelete,
  onNew,
  requestFocus,
}: ProfileListProps) {
  const savedCount = profiles?.filter((p) => !p.builtin).length ?? 0;

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
    onSelect(profile.id);
    itemButton(listRef.current, profile.id)?.focus();
  }

  return (
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
          {profiles.map((profile) => (
            <ProfileItem
              key={profile.id}
              profile={profile}
              active={profile.id === activeId}
              selected={profile.id === selectedId}
              editing={profile.id === editingId}
              confirming={profile.id === confirmId}
              phase={phase}
              onSelect={onSelect}
              onConfirm={onConfirm}
              onConnect={onConnect}
              onEdit={onEdit}
              onDelete={onDelete}
              requestFocus={requestFocus}
            />
          ))}
        </ul>
      )}
      {profiles !== undefined && savedCount === 0 && (
        <p className="cd-muted cd-side-empty">No saved profiles yet. Add one with the form.</p>
      )}
      <DialogButton variant="ghost" className="cd-new" data-testid="new-profile" onClick={onNew}>
        <PlusIcon /> New profile
      </DialogButton>
    </nav>
  );
}
