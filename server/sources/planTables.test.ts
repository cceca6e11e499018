import { describe, expect, it } from 'vitest';
import { planTables } from './planTables.js';

describe('planTables', () => {
  it('collects every relation of a plan, through sub-plans, once, with its schema', () => {
    const plan = [
      {
        Plan: {
          'Node Type': 'Hash Join',
          Plans: [
            { 'Node Type': 'Seq Scan', 'Relation Name': 'orders', Schema: 'public' },
            {
              'Node Type': 'Hash',
              Plans: [{ 'Node Type': 'Seq Scan', 'Relation Name': 'agents', Schema: 'crm' }],
            },
            { 'Node Type': 'Index Scan', 'Relation Name': 'orders', Schema: 'public' },
            { 'Node Type': 'Function Scan', 'Function Name': 'generate_series' },
          ],
        },
      },
    ];
    expect(planTables(plan)).toEqual([
      { schema: 'public', name: 'orders' },
      { schema: 'crm', name: 'agents' },
    ]);
    expect(planTables(JSON.stringify(plan))).toHaveLength(2);
    expect(planTables([{ Plan: { 'Node Type': 'Result' } }])).toEqual([]);
  });
});
