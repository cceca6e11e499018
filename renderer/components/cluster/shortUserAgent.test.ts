import { describe, expect, it } from 'vitest';
import { shortUserAgent } from './shortUserAgent.js';

describe('shortUserAgent', () => {
  it.each([
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      'Chrome 131 · Linux',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70',
      'Edge 131 · Windows',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.7; rv:133.0) Gecko/20100101 Firefox/133.0',
      'Firefox 133 · macOS',
    ],
    [
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
      'Safari 18 · iOS',
    ],
    [
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) opsdeck/0.1.0 Chrome/130.0.6723.191 Electron/33.2.1 Safari/537.36',
      'Opsdeck desktop (Electron 33) · macOS',
    ],
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
      'Headless Chrome 131 · Linux',
    ],
    ['node-XMLHttpRequest', 'Node.js client'],
    ['curl/8.11.0', 'curl 8.11.0'],
    ['okhttp/4.12.0', 'okhttp/4.12.0'],
    ['', 'none sent'],
  ])('%s -> %s', (agent, short) => {
    expect(shortUserAgent(agent)).toBe(short);
  });

  it('keeps an unknown long token short', () => {
    expect(shortUserAgent('x'.repeat(200))).toHaveLength(40);
  });
});
