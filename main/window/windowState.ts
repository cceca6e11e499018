import type { BrowserWindow } from 'electron';
import { z } from 'zod';
import { readJsonFileSync, writeJsonAtomicSync } from '../storage/jsonFile.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface WindowState {
  /** Absent: let the OS place (center) the window. */
  x?: number | undefined;
  y?: number | undefined;
  width: number;
  height: number;
  maximized: boolean;
  fullScreen: boolean;
}

export const DEFAULT_WINDOW_STATE: WindowState = {
  width: 1280,
  height: 800,
  maximized: false,
  fullScreen: false,
};
export const MIN_WIDTH = 640;
export const MIN_HEIGHT = 400;

const windowStateSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  maximized: z.boolean(),
  fullScreen: z.boolean(),
});

/** window-state.json; the default when missing or unreadable (it is only a convenience). */
export function loadWindowState(file: string): WindowState {
  const read = readJsonFileSync(file);
  if (read.kind !== 'ok') return DEFAULT_WINDOW_STATE;
  const parsed = windowStateSchema.safeParse(read.value);
  return parsed.success ? parsed.data : DEFAULT_WINDOW_STATE;
}

/**
 * The saved state made sane for today's displays: the size fits the largest work area, and the
 * position is kept only if the window's top strip (its title bar) is on a display; otherwise the
 * OS centers it (a monitor was unplugged, the resolution changed).
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  if (workAreas.length === 0) return { ...DEFAULT_WINDOW_STATE };
  const maxWidth = Math.max(...workAreas.map((a) => a.width));
  const maxHeight = Math.max(...workAreas.map((a) => a.height));
  const width = clamp(state.width, Math.min(MIN_WIDTH, maxWidth), maxWidth);
  const height = clamp(state.height, Math.min(MIN_HEIGHT, maxHeight), maxHeight);
  const { x, y, ...rest } = state;
  const fitted: WindowState = { ...rest, width, height };
  if (x === undefined || y === undefined) return fitted;
  const titleBar: Rect = { x, y, width, height: 32 };
  const reachable = workAreas.some((area) => {
    const overlap = intersection(titleBar, area);
    return overlap.width >= 100 && overlap.height >= 16;
  });
  return reachable ? { ...fitted, x, y } : fitted;
}

/** Saves the window's normal bounds and modes when they change (debounced) and on close. */
export function trackWindowState(window: BrowserWindow, file: string, debounceMs = 500): void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const save = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (window.isDestroyed()) return;
    const bounds = window.getNormalBounds();
    const state: WindowState = {
      ...bounds,
      maximized: window.isMaximized(),
      fullScreen: window.isFullScreen(),
    };
    try {
      writeJsonAtomicSync(file, state);
    } catch {
      // Remembering the window is a convenience; never fail a close over it.
    }
  };
  const later = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(save, debounceMs);
  };
  window.on('resize', later);
  window.on('move', later);
  window.on('maximize', later);
  window.on('unmaximize', later);
  window.on('enter-full-screen', later);
  window.on('leave-full-screen', later);
  window.on('close', save);
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}

function intersection(a: Rect, b: Rect): { width: number; height: number } {
  const width = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const height = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return { width: Math.max(0, width), height: Math.max(0, height) };
}
