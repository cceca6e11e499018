/**
 * The console's cluster pane against a real 3-node cluster: every node listed, exactly one leader
 * marked, in Chromium. Writes a screenshot to test-artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithChromium, launchChromium, watchProblems } from '../helpers/browser.js';
import { ClusterFixture } from './helpers/clusterFixture.js';
import { describeCluster } from './helpers/requirements.js';

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

await describeCluster('console cluster pane', { services: ['postgres', 'redis'] }, () => {
  describeWithChromium('in Chromium', () => {
    const fixture = new ClusterFixture({ nodes: 3 });
    let browser: Browser | undefined;

    beforeAll(async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      await fixture.start();
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await fixture.stop();
    });

    it('lists all three nodes with the leader marked, on any node', async () => {
      const context = await browser!.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const problems = watchProblems(page);
      // A follower's console: the pane comes from heartbeats, not from the node itself.
      const follower = fixture.cluster.nodes[1]!;
      await page.goto(follower.url);
      const rows = page.getByTestId('cluster-node');
      await expect.poll(() => rows.count(), { timeout: 10_000 }).toBe(3);
      // Heartbeats refresh every second and the pane every two: the leader flag follows shortly.
      const leaders = () =>
        rows.evaluateAll(
          (els) => els.filter((e) => e.getAttribute('data-leader') === 'true').length,
        );
      await expect.poll(leaders, { timeout: 10_000 }).toBe(1);
      const text = await page.getByTestId('cluster-pane').innerText();
      for (const node of fixture.cluster.nodes) expect(text).toContain(String(node.pid));
      await expect.poll(() => page.locator('header').innerText()).toMatch(/3\s*nodes/i);
      await page
        .getByTestId('cluster-pane')
        .screenshot({ path: join(ARTIFACTS, 'console-cluster-pane.png') });
      expect(problems).toEqual([]);
      await context.close();
    });
  });
});
