import { describe, expect, it } from 'vitest';
import { compareLsn } from '../sources/postgresLogical.js';
import { PendingAcks } from './PendingAcks.js';

describe('PendingAcks', () => {
  const make = () => {
    const confirmed: string[] = [];
    return { acks: new PendingAcks((lsn) => confirmed.push(lsn)), confirmed };
  };

  it('confirms a commit only once every section it re-runs has read after it arrived', () => {
    const { acks, confirmed } = make();
    acks.committed('0/10', ['a', 'b'], 100);
    acks.read('a', 99); // started before the commit arrived: does not count
    acks.read('a', 100);
    expect(confirmed).toEqual([]);
    acks.read('b', 105);
    expect(confirmed).toEqual(['0/10']);
    expect(acks.size).toBe(0);
  });

  it('keeps commit order: a later commit read first waits for the earlier one', () => {
    const { acks, confirmed } = make();
    acks.committed('0/10', ['a'], 100);
    acks.committed('0/20', ['b'], 101);
    acks.read('b', 102);
    expect(confirmed).toEqual([]);
    acks.read('a', 103);
    expect(confirmed).toEqual(['0/20']); // both done: the latest position at once
  });

  it('confirms a commit no section reads at once, and keepalives only when nothing is pending', () => {
    const { acks, confirmed } = make();
    acks.committed('0/10', [], 100);
    expect(confirmed).toEqual(['0/10']);
    acks.committed('0/20', ['a'], 101);
    acks.idle('0/30');
    expect(confirmed).toEqual(['0/10']);
    acks.clear(); // the stream restarted: the slot sends 0/20 again
    acks.idle('0/30');
    expect(confirmed).toEqual(['0/10', '0/30']);
  });
});

describe('compareLsn', () => {
  it('orders LSNs by both halves, as numbers', () => {
    expect(compareLsn('0/A', '0/9')).toBe(1);
    expect(compareLsn('1/0', '0/FFFFFFFF')).toBe(1);
    expect(compareLsn('16/B374D848', '16/B374D848')).toBe(0);
    expect(compareLsn('0/0', '0/1')).toBe(-1);
  });
});
