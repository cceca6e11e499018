import { describe, expect, it } from 'vitest';
import { NotifyRoutes } from './NotifyRoutes.js';

describe('NotifyRoutes', () => {
  it('routes configured tables, derived ones once known, and unknown sections on everything', () => {
    const routes = new NotifyRoutes([
      { id: 'listed', index: 0, sql: '', tables: ['public.Orders'] },
      { id: 'derived', index: 1, sql: '' },
    ]);
    expect([...routes.sectionsFor('orders')].sort()).toEqual(['derived', 'listed']);
    expect([...routes.sectionsFor('agents')]).toEqual(['derived']);
    routes.setDerived({
      section: 'derived',
      derived: true,
      problems: [],
      tables: [{ schema: 'public', name: 'agents' }],
    });
    expect([...routes.sectionsFor('orders')]).toEqual(['listed']);
    expect([...routes.sectionsFor('AGENTS')]).toEqual(['derived']);
  });
});
