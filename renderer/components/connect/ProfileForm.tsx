import { useId, type RefObject } from 'react';
import { EyeIcon, PulseIcon, StopIcon, WarnIcon } from './icons.js';
import type { Draft, FieldErrors } from './profileDraft.js';
import { TestResultPanel } from './TestResultPanel.js';
import type { TestState } from './useConnectionTest.js';
import { DialogButton } from './DialogButton.js';

/** A message under the form: the outcome of Save or Delete. */
export interface FormStatus {
  tone: 'ok' | 'danger';
  text: string;
}

export interface ProfileFormProps {
  /** "New profile" or "Edit “name”". */
  title: string;
  /** Why the dialog opened on this profile (a refused token), above the fields. */
  note: string | undefined;
  draft: Draft;
  /** Messages per field, shown once Save was attempted. */
  errors: FieldErrors;
  /** The bridge's warning about saved tokens (e.g. stored unencrypted), under the token field. */
  warning: string | undefined;
  showToken: boolean;
  test: TestState;
  status: FormStatus | undefined;
  /** Save is in progress: the save buttons are disabled. */
  busy: boolean;
  nameRef: RefObject<HTMLInputElement | null>;
  urlsRef: RefObject<HTMLTextAreaElement | null>;
  tokenRef: RefObject<HTMLInputElement | null>;
  /** The scrolling part of the form, kept scrolled to a new test result. */
  scrollRef: RefObject<HTMLDivElement | null>;
  onChange: (patch: Partial<Draft>) => void;
  onToggleToken: () => void;
  onTest: () => void;
  onCancelTest: () => void;
  onSave: (connectAfter: boolean) => void;
}

/**
 * The connect dialog's profile form: name, server URLs (one per line), token, the "Test
 * connection" result, and Save / Save and connect (submitting the form saves and connects).
 */
export function ProfileForm({
  title,
  note,
  draft,
  errors,
  warning,
  showToken,
  test,
  status,
  busy,
  nameRef,
  urlsRef,
  tokenRef,
  scrollRef,
  onChange,
  onToggleToken,
  onTest,
  onCancelTest,
  onSave,
}: ProfileFormProps) {
  const ids = {
    formTitle: useId(),
    name: useId(),
    nameError: useId(),
    urls: useId(),
    urlsHelp: useId(),
    urlsError: useId(),
    token: useId(),
    tokenHelp: useId(),
  };
  const running = test.state === 'running';

  return (
    <form
      className="cd-form"
      aria-labelledby={ids.formTitle}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSave(true);
      }}
    >
      <h3 id={ids.formTitle} className="cd-form-title">
        {title}
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
            onChange={(e) => onChange({ name: e.target.value })}
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
            onChange={(e) => onChange({ urls: e.target.value })}
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
              onChange={(e) => onChange({ token: e.target.value })}
            />
            <DialogButton
              variant="ghost"
              className="cd-token-toggle"
              aria-pressed={showToken}
              aria-controls={ids.token}
              onClick={onToggleToken}
            >
              <EyeIcon off={showToken} /> {showToken ? 'Hide' : 'Show'}
            </DialogButton>
          </div>
          {warning && (
            <p id={ids.tokenHelp} className="cd-warning">
              <WarnIcon /> {warning}
            </p>
          )}
        </div>

        <TestResultPanel test={test} />
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
        <DialogButton
          key="test"
          variant="ghost"
          data-testid={running ? 'cancel-test' : 'test-connection'}
          onClick={running ? onCancelTest : onTest}
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
        </DialogButton>
        <span className="cd-spacer" />
        <DialogButton data-testid="save-profile" disabled={busy} onClick={() => onSave(false)}>
          Save
        </DialogButton>
        <DialogButton
          type="submit"
          variant="primary"
          data-testid="save-and-connect"
          disabled={busy}
        >
          Save and connect
        </DialogButton>
      </div>
    </form>
  );
}
