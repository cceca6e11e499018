import { describe, expect, it } from 'vitest';
import { configProblems } from '../../test/helpers/configProblems.js';
import { parseConfigText } from './loadConfig.js';

const base = `
database:
  url: postgres://dashboard@db.internal/sales
sections:
  - id: kpis
    title: Today
    view: { type: stat }
    sql: SELECT 1 AS open_orders
  - id: recent
    title: Latest orders
    view: { type: table }
    sql: SELECT 1 AS id
`;

const withAlerts = (alerts: string): string => `${base}alerts:\n${alerts}`;

describe('alerts: in the configuration', () => {
  it('accepts the three kinds of rule; severity defaults to warning', () => {
    const config = parseConfigText(
      withAlerts(`  - { id: open-orders-high, section: kpis, when: open_orders > 50, for: 2m, severity: critical, message: "{open_orders} waiting" }
  - { id: no-sales, section: recent, when: no change for 30m }
  - { id: kpis_failing, section: kpis, when: failing, severity: info }
`),
      {},
    );
    expect(config.alerts).toEqual([
      {
        id: 'open-orders-high',
        section: 'kpis',
        when: 'open_orders > 50',
        for: '2m',
        severity: 'critical',
        message: '{open_orders} waiting',
      },
      { id: 'no-sales', section: 'recent', when: 'no change for 30m', severity: 'warning' },
      { id: 'kpis_failing', section: 'kpis', when: 'failing', severity: 'info' },
    ]);
  });

  it('names the key path of a when that does not parse', () => {
    expect(
      configProblems(withAlerts('  - { id: a, section: kpis, when: "open_orders >> 5" }\n')),
    ).toEqual([
      'config: alerts[0].when: "open_orders >> 5" is not <column> <op> <number>, "no change for <duration>" or "failing"',
    ]);
  });

  it('refuses unknown sections, duplicate ids, bad durations, severities and ids', () => {
    const lines = configProblems(
      withAlerts(`  - { id: a, section: kpi, when: failing }
  - { id: a, section: kpis, when: no change for soon }
  - { id: b, section: kpis, when: open_orders > 1, for: 2 minutes }
`),
    );
    expect(lines).toEqual([
      'config: alerts[1].id: duplicate id "a" (also alerts[0])',
      'config: alerts[0].section: unknown section "kpi" (the sections are kpis, recent)',
      'config: alerts[1].when: "no change for soon" is not <column> <op> <number>, "no change for <duration>" or "failing"',
      'config: alerts[2].for: "2 minutes" is not a duration such as 20s, 2m or 1h (at most a week)',
    ]);
    expect(
      configProblems(withAlerts('  - { id: a, section: kpis, when: failing, severity: loud }\n')),
    ).toEqual(['config: alerts[0].severity: must be info, warning or critical']);
    expect(
      configProblems(withAlerts('  - { id: "Big Id", section: kpis, when: failing }\n')),
    ).toEqual(['config: alerts[0].id: must match [a-z0-9_-]{1,64}']);
  });

  it('suggests the nearest key for a misspelt one', () => {
    expect(
      configProblems(withAlerts('  - { id: a, section: kpis, when: failing, sevrity: info }\n')),
    ).toEqual(['config: alerts[0].sevrity: unknown key; did you mean "severity"?']);
  });
});

describe('dashboards: in the configuration', () => {
  it('accepts pages of existing sections (and $cluster)', () => {
    const config = parseConfigText(
      `${base}dashboards:\n  - { id: floor, title: Sales floor, sections: [kpis, recent] }\n  - { id: ops, title: Servers, sections: [$cluster] }\n`,
      {},
    );
    expect(config.dashboards).toEqual([
      { id: 'floor', title: 'Sales floor', sections: ['kpis', 'recent'] },
      { id: 'ops', title: 'Servers', sections: ['$cluster'] },
    ]);
  });

  it('refuses unknown or repeated sections and duplicate ids, naming the path', () => {
    expect(
      configProblems(
        `${base}dashboards:\n  - { id: floor, title: Floor, sections: [kpis, sales, kpis] }\n  - { id: floor, title: Again, sections: [recent] }\n`,
      ),
    ).toEqual([
      'config: dashboards[1].id: duplicate id "floor" (also dashboards[0])',
      'config: dashboards[0].sections[1]: unknown section "sales" (the sections are kpis, recent)',
      'config: dashboards[0].sections[2]: "kpis" is listed twice',
    ]);
    expect(
      configProblems(`${base}dashboards:\n  - { id: floor, title: Floor, sections: [] }\n`),
    ).toEqual(['config: dashboards[0].sections: list at least one section']);
  });
});
