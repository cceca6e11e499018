// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Column, Row, SectionUpdate } from '../../common/protocol.js';
import { diffRows } from '../live/rowDiff.js';
import { rowKey } from '../live/sectionsReducer.js';
import { KioskContext } from './kioskContext.js';
import { TableView } from './TableView.js';

const columns: Column[] = [
  { name: 'id', type: 'number' },
  { name: 'customer_name', type: 'string' },
  { name: 'total', type: 'number' },
  { name: 'status', type: 'string' },
  { name: 'created_at', type: 'time' },
];

function order(id: number, minute: number, status = 'open'): Row {
  return {
    id,
    customer_name: `Customer ${id}`,
    total: 1000 + id + 0.5,
    status,
    created_at: new Date(Date.UTC(2026, 10, 22, 10, minute)).toISOString(),
  };
}

function update(rows: Row[], extra: Partial<SectionUpdate> = {}): SectionUpdate {
  return {
    section: 'recent',
    version: 3,
    rows,
    columns,
    changedAt: '2026-11-22T12:00:00.000Z',
    queriedAt: '2026-11-22T12:00:00.000Z',
    ...extra,
  };
}

const bodyRows = () =>
  within(screen.getAllByRole('rowgroup')[1] as HTMLElement).getAllByRole('row');

afterEach(cleanup);

describe('TableView', () => {
  it('shows columns with human headers and formatted values', () => {
    render(
      <TableView
        update={update([order(2, 5, 'closed'), order(1, 1, 'refunded')])}
        locale="en-US"
      />,
    );
    const headers = screen
      .getAllByRole('columnheader')
      .map((h) => h.textContent.replace(/[↕▲▼]/g, ''));
    expect(headers).toEqual(['ID', 'Customer name', 'Total', 'Status', 'Created at']);
    const first = bodyRows()[0] as HTMLElement;
    expect(first.textContent).toContain('1,002.50');
    expect(within(first).getByText('closed').className).toContain('pill--success');
    expect(within(bodyRows()[1] as HTMLElement).getByText('refunded').className).toContain(
      'pill--danger',
    );
    expect(first.querySelector('time')?.getAttribute('dateTime')).toBe('2026-11-22T10:05:00.000Z');
  });

  it('in TV mode has plain headers: no sort buttons, the SQL order', () => {
    render(
      <KioskContext.Provider value={true}>
        <TableView update={update([order(2, 1), order(1, 2)])} />
      </KioskContext.Provider>,
    );
    expect(screen.getAllByRole('columnheader').map((h) => h.textContent)).toContain('Total');
    expect(screen.queryAllByRole('button')).toHaveLength(0);
  });

  it('keeps rows exactly in the order the SQL returned them', () => {
    // ascending time, then newest first, then mixed: never reordered by the console
    for (const ids of [
      [1, 2, 3],
      [3, 2, 1],
      [2, 3, 1],
    ]) {
      render(<TableView update={update(ids.map((id) => order(id, id)))} locale="en-US" />);
      expect(bodyRows().map((r) => r.querySelector('td')?.textContent)).toEqual(ids.map(String));
      expect(screen.getByTestId('table-order').textContent).toMatch(/^In SQL order/);
      cleanup();
    }
  });

  it('sorts by a column header: ascending, descending, and back to SQL order', () => {
    const rows = [order(2, 5), order(3, 1), order(1, 9)];
    const { rerender } = render(<TableView update={update(rows)} locale="en-US" />);
    const ids = () => bodyRows().map((r) => r.querySelector('td')?.textContent);
    const header = () => screen.getByRole('columnheader', { name: /Created at/ });
    expect(header().hasAttribute('aria-sort')).toBe(false);

    fireEvent.click(within(header()).getByRole('button'));
    expect(ids()).toEqual(['3', '2', '1']);
    expect(header().getAttribute('aria-sort')).toBe('ascending');
    expect(header().textContent).toContain('▲');
    expect(screen.getByTestId('table-order').textContent).toBe('Sorted by Created at, ascending');

    fireEvent.click(within(header()).getByRole('button'));
    expect(ids()).toEqual(['1', '2', '3']);
    expect(header().getAttribute('aria-sort')).toBe('descending');

    // the sort survives a live update
    rerender(<TableView update={update([order(4, 7), ...rows], { version: 4 })} locale="en-US" />);
    expect(ids()).toEqual(['1', '4', '2', '3']);

    fireEvent.click(screen.getByRole('button', { name: 'Back to SQL order' }));
    expect(ids()).toEqual(['4', '2', '3', '1']);
    expect(header().hasAttribute('aria-sort')).toBe(false);
    expect(screen.queryByRole('button', { name: 'Back to SQL order' })).toBeNull();

    // a third click on a header also returns to SQL order; numbers sort as numbers
    const total = () => screen.getByRole('columnheader', { name: /Total/ });
    fireEvent.click(within(total()).getByRole('button'));
    expect(ids()).toEqual(['1', '2', '3', '4']);
    fireEvent.click(within(total()).getByRole('button'));
    fireEvent.click(within(total()).getByRole('button'));
    expect(ids()).toEqual(['4', '2', '3', '1']);
  });

  it('highlights changed rows, and replays the highlight on the next version', () => {
    const rows = [order(3, 3), order(2, 2), order(1, 1)];
    const { rerender } = render(
      <TableView update={update(rows)} changedRowKeys={[rowKey(order(3, 3))]} locale="en-US" />,
    );
    const highlighted = bodyRows().filter((r) => r.className.includes('row-changed'));
    expect(highlighted).toHaveLength(1);
    const before = highlighted[0];

    rerender(
      <TableView
        update={update(rows, { version: 4 })}
        changedRowKeys={[rowKey(order(3, 3))]}
        locale="en-US"
      />,
    );
    const after = bodyRows().find((r) => r.className.includes('row-changed'));
    expect(after).toBeDefined();
    expect(after).not.toBe(before); // a fresh element, so the CSS animation runs again
  });

  it('marks added rows and changed cells, with the previous value on hover and in words', () => {
    const before = [order(2, 2), order(1, 1)];
    const renamed = { ...order(2, 2), customer_name: 'Renamed Ltd' };
    const after = [order(3, 3), renamed, order(1, 1)];
    render(
      <TableView update={update(after)} changes={diffRows(before, after, 'id')} locale="en-US" />,
    );
    const [added, changed, same] = bodyRows() as [HTMLElement, HTMLElement, HTMLElement];
    expect(added.dataset.change).toBe('added');
    expect(changed.dataset.change).toBe('changed');
    expect(same.dataset.change).toBeUndefined();
    const cells = changed.querySelectorAll('td.cell-changed');
    expect(cells).toHaveLength(1);
    const cell = cells[0] as HTMLElement;
    expect(cell.textContent).toBe('Renamed Ltd (changed, was Customer 2)');
    expect(cell.title).toBe('Changed: was Customer 2');
    expect(within(cell).getByText('(changed, was Customer 2)', { exact: false }).className).toBe(
      'sr-only',
    );
  });

  it('keeps the marks on the right rows when sorted', () => {
    const before = [order(2, 2), order(1, 1)];
    const after = [{ ...order(2, 2), total: 1 }, order(1, 1)];
    render(
      <TableView update={update(after)} changes={diffRows(before, after, 'id')} locale="en-US" />,
    );
    const total = screen.getByRole('columnheader', { name: /Total/ });
    fireEvent.click(within(total).getByRole('button'));
    const [first] = bodyRows() as [HTMLElement];
    expect(first.textContent).toContain('Customer 2');
    expect(first.dataset.change).toBe('changed');
    expect(first.querySelector('td.cell-changed')?.getAttribute('title')).toBe(
      'Changed: was 1,002.50',
    );
  });

  it('draws at most 200 rows and says how many more there are', () => {
    const rows = Array.from({ length: 250 }, (_, i) => order(250 - i, 0));
    render(<TableView update={update(rows)} locale="en-US" />);
    expect(bodyRows()).toHaveLength(200);
    expect(screen.getByRole('note').textContent).toContain('50 more rows');
  });

  it('marks results the server truncated', () => {
    render(<TableView update={update([order(1, 1)], { truncated: true })} locale="en-US" />);
    expect(screen.getByRole('note').textContent).toContain('(truncated by server)');
  });
});
