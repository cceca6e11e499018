import { describe, expect, it } from 'vitest';
import { AdminSessions } from './AdminSessions.js';

describe('AdminSessions', () => {
  it('knows a saved session until it expires, 12 hours later', async () => {
    let now = 0;
    const sessions = new AdminSessions(() => now);
    sessions.saveSession('a');
    expect(await sessions.doesSessionExist('a')).toBe(true);
    expect(await sessions.doesSessionExist('b')).toBe(false);
    now = 12 * 60 * 60 * 1000 - 1;
    expect(await sessions.doesSessionExist('a')).toBe(true);
    now += 1;
    expect(await sessions.doesSessionExist('a')).toBe(false);
    expect(sessions.size).toBe(0);
  });

  it('keeps at most 256 sessions, dropping the oldest first', async () => {
    const sessions = new AdminSessions(() => 0);
    for (let i = 0; i < 300; i++) sessions.saveSession(`s${i}`);
    expect(sessions.size).toBe(256);
    expect(await sessions.doesSessionExist('s0')).toBe(false);
    expect(await sessions.doesSessionExist('s43')).toBe(false);
    expect(await sessions.doesSessionExist('s44')).toBe(true);
    expect(await sessions.doesSessionExist('s299')).toBe(true);
  });
});
