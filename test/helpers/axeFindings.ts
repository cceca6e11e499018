import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

/** One serious or critical axe-core violation: its rule and the elements it names. */
export interface AxeFinding {
  id: string;
  nodes: string[];
}

/**
 * axe-core's serious and critical violations on `page` as it is now (the whole page, or only
 * within the CSS selector `include`); each node is its target, followed by axe's failure summary
 * when `summaries` is set. An accessible page gives `[]`.
 */
export async function seriousAxeFindings(
  page: Page,
  options: { include?: string; summaries?: boolean } = {},
): Promise<AxeFinding[]> {
  const builder = new AxeBuilder({ page });
  if (options.include) builder.include(options.include);
  const results = await builder.analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      nodes: v.nodes.map((n) =>
        options.summaries ? `${n.target.join(' ')}: ${n.failureSummary ?? ''}` : n.target.join(' '),
      ),
    }));
}

/**
 * axe-core's color-contrast rule within `include`: the elements it could not decide (each with
 * why), the ones that fail, and how many passed.
 */
export async function contrastResults(page: Page, include: string) {
  const results = await new AxeBuilder({ page })
    .include(include)
    .withRules(['color-contrast'])
    .analyze();
  const nodes = (list: typeof results.violations) =>
    list.flatMap((r) => r.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`));
  return {
    incomplete: nodes(results.incomplete),
    violations: nodes(results.violations),
    passed: results.passes.reduce((n, r) => n + r.nodes.length, 0),
  };
}
