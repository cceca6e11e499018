/** The app:// scheme: registered as privileged, serving dist/console with the CSP, nothing else. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fake } from '../../test/helpers/fakeElectron.js';
import { registerAppScheme, resolveConsoleFile, serveConsole } from './appProtocol.js';
import { CONSOLE_CSP } from './contentSecurityPolicy.js';

vi.mock('electron', () => import('../../test/helpers/fakeElectron.js'));

let root: string;
let consoleDir: string;

beforeEach(() => {
  fake.reset();
  root = mkdtempSync(join(tmpdir(), 'opsdeck-console-'));
  consoleDir = join(root, 'console');
  mkdirSync(join(consoleDir, 'assets'), { recursive: true });
  writeFileSync(join(consoleDir, 'index.html'), '<!doctype html><title>Opsdeck</title>');
  writeFileSync(join(consoleDir, 'assets', 'index-1.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'secret');
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('app protocol', () => {
  it('registers app:// as a standard, secure scheme', () => {
    registerAppScheme();
    expect(fake.state.privilegedSchemes).toEqual([
      {
        scheme: 'app',
        privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
      },
    ]);
  });

  it('serves the console files with the CSP header and their content type', async () => {
    serveConsole(consoleDir);
    const index = await fake.fetchProtocol('app://opsdeck/index.html');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(await index.text()).toContain('<title>Opsdeck</title>');
    expect((await fake.fetchProtocol('app://opsdeck/')).status).toBe(200);
    const script = await fake.fetchProtocol('app://opsdeck/assets/index-1.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain('unsafe');
  });

  it('answers 404 outside the console folder, for other hosts and unknown types', async () => {
    serveConsole(consoleDir);
    for (const url of [
      'app://opsdeck/%2e%2e/secret.txt',
      'app://opsdeck/..%2fsecret.txt',
      'app://opsdeck/%2e%2e%5csecret.txt',
      'app://opsdeck/missing.js',
      'app://other/index.html',
      'app://opsdeck/%E0%A4%A',
    ]) {
      const res = await fake.fetchProtocol(url);
      expect(res.status, url).toBe(404);
      expect(await res.text()).not.toContain('secret');
    }
    const post = await fake.fetchProtocol('app://opsdeck/index.html', {
      method: 'POST',
      body: 'x',
    });
    expect(post.status).toBe(405);
  });

  it('resolves paths only inside the folder', () => {
    expect(resolveConsoleFile('/', consoleDir)).toBe(join(consoleDir, 'index.html'));
    expect(resolveConsoleFile('/assets/index-1.js', consoleDir)).toBe(
      join(consoleDir, 'assets', 'index-1.js'),
    );
    expect(resolveConsoleFile('/../secret.txt', consoleDir)).toBeUndefined();
    expect(resolveConsoleFile('/a%00.js', consoleDir)).toBeUndefined();
  });
});
