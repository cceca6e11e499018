import { describe, expect, it } from 'vitest';
import { pageSlices } from './clientsListPaging.js';

const counts = [
  { nodeId: 'a', clients: 3 },
  { nodeId: 'b', clients: 0 },
  { nodeId: 'c', clients: 4 },
];

describe('pageSlices', () => {
  it('cuts a page that spans nodes into one slice per node it reaches', () => {
    expect([...pageSlices(counts, 2, 3)]).toEqual([
      ['a', { start: 2, end: 3 }],
      ['c', { start: 0, end: 2 }],
    ]);
  });

  it('leaves out nodes before, after and without clients', () => {
    expect([...pageSlices(counts, 0, 2)]).toEqual([['a', { start: 0, end: 2 }]]);
    expect([...pageSlices(counts, 3, 4)]).toEqual([['c', { start: 0, end: 4 }]]);
  });

  it('is empty past the end', () => {
    expect(pageSlices(counts, 7, 5).size).toBe(0);
    expect(pageSlices([], 0, 5).size).toBe(0);
  });

  it('covers every client exactly once over consecutive pages', () => {
    for (const size of [1, 2, 3, 5, 7, 50]) {
      const seen: string[] = [];
      for (let offset = 0; offset < 7; offset += size) {
        for (const [node, { start, end }] of pageSlices(counts, offset, size)) {
          for (let i = start; i < end; i++) seen.push(`${node}${i}`);
        }
      }
      expect(seen).toEqual(['a0', 'a1', 'a2', 'c0', 'c1', 'c2', 'c3']);
    }
  });
});
