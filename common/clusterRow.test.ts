import { describe, expect, it } from 'vitest';
import { CLUSTER_COLUMNS, toClusterRow } from './clusterRow.js';
import { isSectionRoom, sectionRoom } from './protocol.js';

describe('the $cluster row', () => {
  it('lists the contract columns in the contract order, with their wire types', () => {
    expect(CLUSTER_COLUMNS.map((c) => `${c.name}:${c.type}`)).toEqual([
      'nodeId:string',
      'host:string',
      'pid:number',
      'startedAt:time',
      'leader:boolean',
      'clients:number',
      'subscriptions:number',
      'eventLoopLagMs:number',
      'heapUsedBytes:number',
      'rssBytes:number',
      'queries:number',
      'updatesSent:number',
    ]);
  });

  it('reads a received row, without a node id as nothing, odd figures as zero', () => {
    expect(toClusterRow({ host: 'a' })).toBeUndefined();
    const row = toClusterRow({ nodeId: 'n1', host: 'h', pid: 'x', leader: 'yes', queries: 7 });
    expect(row).toEqual({
      nodeId: 'n1',
      host: 'h',
      pid: 0,
      startedAt: '',
      leader: false,
      clients: 0,
      subscriptions: 0,
      eventLoopLagMs: 0,
      heapUsedBytes: 0,
      rssBytes: 0,
      queries: 7,
      updatesSent: 0,
    });
  });
});

describe('section rooms', () => {
  it('tells a section room from a socket id room', () => {
    expect(sectionRoom('kpis')).toBe('section:kpis');
    expect(isSectionRoom(sectionRoom('$cluster'))).toBe(true);
    expect(isSectionRoom('Zx8tPq3AAAB')).toBe(false);
  });
});
