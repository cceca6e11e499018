import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, type AppProps } from './components/App.js';

/** Draws the console into `root` (main.tsx loads this chunk once the connection is under way). */
export function renderConsole(root: HTMLElement, props: AppProps): void {
  createRoot(root).render(
    <StrictMode>
      <App {...props} />
    </StrictMode>,
  );
}
