import type { Profile } from '../../bridge/DesktopBridge.js';
import type { ConnectionPhase } from '../../live/state.js';
import type { FocusTarget } from './usePendingFocus.js';
import { KeyIcon } from './icons.js';
import { PHASE_DISPLAY } from './phaseDisplay.js';
import { DialogButton } from './DialogButton.js';

export interface ProfileItemProps {
  profile: Profile;
  /** The console's connection is for this profile. */
  active: boolean;
  selected: boolean;
  /** The form edits this profile. */
  editing: boolean;
  /** The delete confirmation shows for this profile. */
  confirming: boolean;
  phase: ConnectionPhase;
  onSelect: (id: string) => void;
  /** Shows the delete confirmation for a profile, or hides it (undefined). */
  onConfirm: (id: string | undefined) => void;
  onConnect: (profile: Profile) => void;
  onEdit: (profile: Profile) => void;
  onDelete: (profile: Profile) => void;
  requestFocus: (target: FocusTarget) => void;
}

/**
 * One entry of the connect dialog's profile list: name, first URL, badges and the connection dot;
 * when selected, its actions (connect, edit, delete) or the delete confirmation.
 */
export function ProfileItem({
  profile,
  active,
  selected,
  editing,
  confirming,
  phase: connectionPhase,
  onSelect,
  onConfirm,
  onConnect,
  onEdit,
  onDelete,
  requestFocus,
}: ProfileItemProps) {
  const phase = PHASE_DISPLAY[connectionPhase];
  // The accessible name starts with the visible label (WCAG 2.5.3, label in name).
  const connectLabel = active && connectionPhase === 'connected' ? 'Reconnect' : 'Connect';
  return (
    <li
      className="cd-item"
      data-testid="profile-item"
      data-profile-id={profile.id}
      data-active={active ? 'true' : 'false'}
      data-selected={selected ? 'true' : 'false'}
      data-editing={editing ? 'true' : 'false'}
    >
      <button
        type="button"
        className="cd-item-main"
        data-focus-key={`item:${profile.id}`}
        aria-pressed={selected}
        aria-current={active ? 'true' : undefined}
        title={profile.urls.join('\n')}
        onClick={() => {
          onSelect(profile.id);
          if (!confirming) onConfirm(undefined);
        }}
        onDoubleClick={() => onConnect(profile)}
      >
        <span className={`cd-dot cd-dot--${active ? phase.tone : 'none'}`} aria-hidden="true" />
        <span className="cd-item-text">
          <span className="cd-item-line">
            <span className="cd-item-name">{profile.name}</span>
            {profile.builtin && <span className="cd-badge">Built-in</span>}
            {active && <span className={`cd-badge cd-badge--${phase.tone}`}>{phase.words}</span>}
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
      {!selected ? null : confirming ? (
        <div className="cd-confirm" role="group" aria-label={`Delete ${profile.name}?`}>
          <span className="cd-confirm-text">Delete this profile?</span>
          <DialogButton
            variant="danger"
            small
            data-testid="confirm-delete"
            onClick={() => onDelete(profile)}
          >
            Delete
          </DialogButton>
          <DialogButton
            variant="ghost"
            small
            data-focus-key={`keep:${profile.id}`}
            onClick={() => {
              onConfirm(undefined);
              requestFocus({ keep: `delete:${profile.id}` });
            }}
          >
            Keep
          </DialogButton>
        </div>
      ) : (
        <div className="cd-item-actions">
          <DialogButton
            variant="primary"
            small
            data-testid="connect-profile"
            aria-label={`${connectLabel} to ${profile.name}`}
            onClick={() => onConnect(profile)}
          >
            {connectLabel}
          </DialogButton>
          {!profile.builtin && (
            <>
              <DialogButton
                variant="ghost"
                small
                data-testid="edit-profile"
                aria-label={`Edit ${profile.name}`}
                onClick={() => onEdit(profile)}
              >
                Edit
              </DialogButton>
              <DialogButton
                variant="ghost"
                small
                className="cd-btn--danger-text"
                data-testid="delete-profile"
                data-focus-key={`delete:${profile.id}`}
                aria-label={`Delete ${profile.name}`}
                onClick={() => {
                  onSelect(profile.id);
                  onConfirm(profile.id);
                  requestFocus({ keep: `keep:${profile.id}` });
                }}
              >
                Delete
              </DialogButton>
            </>
          )}
          {profile.builtin && <span className="cd-hint">The server that served this page</span>}
        </div>
      )}
    </li>
  );
}
