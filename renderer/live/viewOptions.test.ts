import { describe, expect, it } from 'vitest';
import { MIN_ROTATE_MS, parseRotate, parseViewOptions, urlWithDashboard } from './viewOptions.js';

describe('view options from the URL', () => {
  it('reads ?kiosk, &rotate and ?dashboard', () => {
    expect(parseViewOptions('')).toEqual({ kiosk: false });
    expect(parseViewOptions('?kiosk&rotate=20s&dashboard=trends')).toEqual({
      kiosk: true,
      rotateMs: 20_000,
      dashboard: 'trends',
    });
    expect(parseViewOptions('?kiosk=false').kiosk).toBe(false);
  });

  it('parses rotation periods, with a floor and nothing for garbage', () => {
    expect(parseRotate('2m')).toBe(120_000);
    expect(parseRotate('30')).toBe(30_000);
    expect(parseRotate('100ms')).toBe(MIN_ROTATE_MS);
    expect(parseRotate('soon')).toBeUndefined();
    expect(parseRotate('0s')).toBeUndefined();
  });

  it('sets the dashboard in the URL and keeps a bare kiosk bare', () => {
    expect(urlWithDashboard('http://h/?kiosk&rotate=2s', 'floor')).toBe(
      'http://h/?kiosk&rotate=2s&dashboard=floor',
    );
    expect(urlWithDashboard('http://h/?dashboard=a', 'b')).toBe('http://h/?dashboard=b');
    expect(urlWithDashboard('http://h/?kiosk&dashboard=a', undefined)).toBe('http://h/?kiosk');
  });
});
