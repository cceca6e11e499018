import { useMemo, useSyncExternalStore } from 'react';

/** Chart colours per theme, read from the stylesheet's CSS variables once per theme. */
export interface ChartPalette {
  series: string[];
  grid: string;
  axis: string;
  cursor: string;
}

const DARK: ChartPalette = {
  series: ['#7c9cff', '#2dd4bf', '#fbbf24', '#f472b6', '#a78bfa', '#34d399'],
  grid: '#232938',
  axis: '#8a93a6',
  cursor: 'rgba(124,156,255,0.08)',
};
const LIGHT: ChartPalette = {
  series: ['#3b5bdb', '#0d9488', '#d97706', '#db2777', '#7c3aed', '#059669'],
  grid: '#e4e7ee',
  axis: '#5b6475',
  cursor: 'rgba(59,91,219,0.06)',
};

const palettes = new Map<string, ChartPalette>();

function subscribeTheme(onChange: () => void): () => void {
  if (typeof MutationObserver === 'undefined') return () => undefined;
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  return () => observer.disconnect();
}

function currentTheme(): string {
  return document.documentElement.dataset.theme === 'light' ? 'light' : 'dark';
}

function readPalette(theme: string): ChartPalette {
  const cached = palettes.get(theme);
  if (cached) return cached;
  const fallback = theme === 'light' ? LIGHT : DARK;
  const style = getComputedStyle(document.documentElement);
  const read = (name: string, otherwise: string) =>
    style.getPropertyValue(name).trim() || otherwise;
  const palette: ChartPalette = {
    series: fallback.series.map((color, i) => read(`--chart-${i + 1}`, color)),
    grid: read('--chart-grid', fallback.grid),
    axis: read('--chart-axis', fallback.axis),
    cursor: read('--chart-cursor', fallback.cursor),
  };
  // Only cache what the stylesheet really provided (it may not be loaded yet).
  if (style.getPropertyValue('--chart-1').trim()) palettes.set(theme, palette);
  return palette;
}

/** The chart palette of the current theme (html[data-theme]); re-read when the theme changes. */
export function useChartPalette(): ChartPalette {
  const theme = useSyncExternalStore(subscribeTheme, currentTheme, () => 'dark');
  return useMemo(() => readPalette(theme), [theme]);
}
