// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type {
  SectionInfo,
  SectionUpdate,
  ServerInfo,
  VerifyAck,
} from '../../../common/protocol.js';
import { polyfillShowModal } from '../../../test/helpers/modalDialogPolyfill.js';
import type { SectionView } from '../../live/state.js';
import { InspectDialog } from './InspectDialog.js';
import type { Verifier } from './useVerify.js';

beforeAll(polyfillShowModal);
afterEach(cleanup);

const info: SectionInfo = { id: 'recent', title: 'Recent', view: { type: 'table' }, mode: 'push' };
const server: ServerInfo = { name: 'opsdeck', version: '1.0.0', nodeId: 'node-a', clusterSize: 3 };
const update = (version: number, extra: Partial<SectionUpdate> = {}): SectionUpdate => ({
  section: 'recent',
  version,
  rows: [{ id: 1 }, { id: 2 }],
  columns: [{ name: 'id', type: 'number' }],
  changedAt: '2026-12-01T10:00:00.000Z',
  queriedAt: '2026-12-01T10:00:00.005Z',
  hash: `hash-${version}`,
  ...extra,
});
const view = (u: SectionUpdate | undefined, sectionInfo = info): SectionView => ({
  info: sectionInfo,
  changedRowKeys: [],
  ...(u ? { update: u } : {}),
});

function show(
  section: SectionView,
  verifier: Verifier = () => Promise.reject(new Error('unused')),
) {
  const props = {
    server,
    stale: undefined,
    verifier,
    chart: () => null,
    onClose: () => undefined,
  };
  const result = render(<InspectDialog section={section} {...props} />);
  return {
    dialog: screen.getByTestId('inspect-recent'),
    rerender: (next: SectionView) => result.rerender(<InspectDialog section={next} {...props} />),
  };
}

const fact = (dialog: HTMLElement, name: string) =>
  dialog.querySelector(`[data-fact="${name}"]`)?.textContent;

describe('InspectDialog', () => {
  it('lists version, hash, node (one of the cluster), rows and truncation; no PNG for a table', () => {
    const { dialog } = show(view(update(7, { truncated: true })));
    expect(fact(dialog, 'version')).toBe('7');
    expect(fact(dialog, 'hash')).toBe('hash-7');
    expect(fact(dialog, 'node')).toBe('node-a (one of 3)');
    expect(fact(dialog, 'rows')).toBe('2 rows');
    expect(fact(dialog, 'truncated')).toMatch(/^Yes: .*maxRows/);
    expect(within(dialog).queryByRole('button', { name: 'Chart as PNG' })).toBeNull();
    expect(within(dialog).getByTestId('inspect-sql-hidden').textContent).toMatch(/showSql/);
  });

  it('shows the SQL when the catalog carries it', () => {
    const { dialog } = show(view(update(1), { ...info, sql: 'SELECT 1' }));
    expect(within(dialog).getByTestId('inspect-sql').textContent).toBe('SELECT 1');
  });

  it('asks the server for the version it shows and says the answer in words', async () => {
    const answers: VerifyAck[] = [
      { ok: true, current: true },
      { ok: true, current: false },
      { ok: false, error: { code: 'rate_limited', message: 'too many events; slow down' } },
    ];
    const verifier = vi.fn<Verifier>(() => Promise.resolve(answers.shift() as VerifyAck));
    const { dialog } = show(view(update(7)), verifier);
    const verdict = within(dialog).getByTestId('inspect-verdict');
    const button = within(dialog).getByTestId('inspect-verify');
    const press = async () => {
      await act(async () => {
        fireEvent.click(button);
        await Promise.resolve();
      });
    };
    await press();
    expect(verifier).toHaveBeenLastCalledWith({ section: 'recent', version: 7, hash: 'hash-7' });
    expect(verdict.textContent).toBe("Version 7 matches the server's current version.");
    await press();
    expect(verdict.textContent).toBe(
      'Version 7 is no longer current: the server holds other rows now.',
    );
    await press();
    expect(verdict.textContent).toBe('Could not verify version 7: too many events; slow down.');
  });

  it('keeps the version it opened on and offers a newer one', () => {
    const { dialog, rerender } = show(view(update(7)));
    rerender(view(update(9)));
    expect(fact(dialog, 'version')).toBe('7');
    expect(within(dialog).getByTestId('inspect-newer').textContent).toContain('Version 9 arrived');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Show version 9' }));
    expect(fact(dialog, 'version')).toBe('9');
    expect(within(dialog).queryByTestId('inspect-newer')).toBeNull();
  });

  it('cannot verify without a hash, and says why; without data it exports nothing', () => {
    const unhashed = update(3);
    delete unhashed.hash;
    const { dialog } = show(view(unhashed));
    expect(within(dialog).getByTestId('inspect-verify')).toHaveProperty('disabled', true);
    expect(dialog.textContent).toContain('This server sends no hashes');
    cleanup();
    const empty = show(view(undefined));
    expect(empty.dialog.textContent).toContain('No data yet');
    expect(within(empty.dialog).getByRole('button', { name: 'Rows as CSV' })).toHaveProperty(
      'disabled',
      true,
    );
  });
});
