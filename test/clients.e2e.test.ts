/**
 * The cluster pane's clients list in Chromium, against three in-process nodes sharing the real
 * Redis: a node's clients (the browser itself among them) with their user agents in a few words,
 * transports and sections, paged, refreshed; axe-core on the open list in both themes, and
 * screenshots in test-artifacts/.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { CatalogAck } from '../common/protocol.js';
import { seriousAxeFindings } from './helpers/axeFindings.js';
import {
  artifactPath,
  describeWithChromium,
  launchChromium,
  THEMES,
  watchProblems,
} from './helpers/browser.js';
import { request } from './helpers/client.js';
import { deleteClusterKeys, randomClusterName, SHARED_REDIS } from './cluster/helpers/fixture.js';
import { roles } from './cluster/helpers/inProcessNodes.js';
import { describeCluster } from './cluster/helpers/requirements.js';
import { ControlledSection } from './support/controlledSection.js';
import { startInProcessServer, type InProcessServer } from './support/inProcessServer.js';

const NAME = randomClusterName();
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
/** Stock clients on the browser's node besides the browser: 13 in all, two pages of 10. */
const EXTRA_CLIENTS = 12;

await describeCluster('console clients list', { services: ['redis'] }, () => {
  describeWithChromium('in Chromium', () => {
    const nodes: { server: InProcessServer; section: ControlledSection }[] = [];
    let browser: Browser;
    let home: InProcessServer;
    let homeId: string;

    beforeAll(async () => {
      for (let i = 0; i < 3; i++) {
        const section = new ControlledSection('orders');
        const server = await startInProcessServer({
          sections: [section],
          cluster: { redisUrl: SHARED_REDIS, name: NAME, leaseTtlMs: 1000 },
        });
        nodes.push({ server, section });
      }
      await roles(nodes);
      home = nodes[0]!.server;
      const probe = await home.client();
      const catalog = await request<CatalogAck>(probe, 'catalog');
      if (!catalog.ok) throw new Error(catalog.error.message);
      homeId = catalog.server.nodeId;
      probe.close();
      for (let i = 0; i < EXTRA_CLIENTS; i++) {
        const socket = await home.client({ extraHeaders: { 'user-agent': FIREFOX } });
        await request(socket, 'subscribe', { sections: ['orders'] });
      }
      await nodes[1]!.server.client({ transports: ['polling'] });
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser.close();
      for (const n of nodes) await n.server.close();
      await deleteClusterKeys(SHARED_REDIS, NAME);
    });

    async function openList(theme: string): Promise<Page> {
      const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
      await context.addInitScript((t) => localStorage.setItem('opsdeck.theme', t), theme);
      const page = await context.newPage();
      await page.goto(home.url);
      const row = page.locator(`[data-testid="cluster-node"][data-node-id="${homeId}"]`);
      await expect
        .poll(() => page.getByTestId('cluster-node').count(), { timeout: 20_000 })
        .toBe(3);
      await row.getByRole('button', { name: 'Show clients' }).click();
      await expect.poll(() => row.getByTestId('client-row').count(), { timeout: 20_000 }).toBe(10);
      return page;
    }

    it('lists the node’s clients, pages through them and refreshes', async () => {
      const page = await openList('dark');
      const problems = watchProblems(page);
      const list = page.locator(`[data-node-id="${homeId}"] [data-testid="clients-list"]`);
      await expect.poll(() => list.innerText()).toMatch(/13 clients · listed at/);
      expect(await list.getAttribute('data-stale')).toBe('false');
      const text = await list.innerText();
      expect(text).toContain('1–10 of 13');
      expect(text).toContain('Firefox 133 · Windows');
      expect(text).toMatch(/websocket/);
      // The full header is one hover away.
      const agentCell = list.locator('td.client-agent', { hasText: 'Firefox' }).first();
      expect(await agentCell.getAttribute('title')).toBe(FIREFOX);

      await list.getByRole('button', { name: 'Next' }).click();
      await expect.poll(() => list.getByTestId('client-row').count()).toBe(3);
      expect(await list.innerText()).toContain('11–13 of 13');
      // The browser itself, the last to connect: Chromium, subscribed to orders and $cluster.
      const browserRow = list.getByTestId('client-row').last();
      expect(await browserRow.innerText()).toMatch(/Chrome \d+ · Linux/);
      expect(await browserRow.innerText()).toContain('$cluster, orders');
      await list.screenshot({ path: artifactPath('console-clients-list-page2.png') });

      // One more client; the list is a moment, so it shows up on Refresh (at most one a second).
      await home.client({ extraHeaders: { 'user-agent': FIREFOX } });
      await expect
        .poll(
          async () => {
            const refresh = list.getByRole('button', { name: 'Refresh' });
            if (await refresh.isEnabled()) await refresh.click();
            return list.innerText();
          },
          { timeout: 20_000, interval: 1200 },
        )
        .toContain('of 14');
      expect(problems).toEqual([]);
      await page.context().close();
    });

    for (const theme of THEMES) {
      it(`${theme} theme: the open list has no serious or critical axe violation`, async () => {
        const page = await openList(theme);
        const serious = await seriousAxeFindings(page, { include: '[data-testid="cluster-pane"]' });
        await page
          .getByTestId('cluster-pane')
          .screenshot({ path: artifactPath(`console-clients-list-${theme}.png`) });
        expect(serious).toEqual([]);
        await page.context().close();
      });
    }

    // Last: it stops the browser's node.
    it('marks the list stale once the console is disconnected, never as current', async () => {
      const page = await openList('dark');
      const list = page.locator(`[data-node-id="${homeId}"] [data-testid="clients-list"]`);
      await home.close();
      await expect.poll(() => list.getAttribute('data-stale'), { timeout: 20_000 }).toBe('true');
      expect(await list.innerText()).toContain('disconnected: as listed then');
      expect(await list.getByRole('button', { name: 'Refresh' }).isDisabled()).toBe(true);
      await list.screenshot({ path: artifactPath('console-clients-list-disconnected.png') });
      await page.context().close();
    });
  });
});
