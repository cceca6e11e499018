import { useEffect } from 'react';

/** TV mode: hides the mouse pointer after `idleMs` without movement (class on <html>). */
export function useIdleCursor(enabled: boolean, idleMs = 5000): void {
  useEffect(() => {
    if (!enabled) return;
    const root = document.documentElement;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const wake = () => {
      root.classList.remove('cursor-idle');
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => root.classList.add('cursor-idle'), idleMs);
    };
    wake();
    window.addEventListener('pointermove', wake);
    window.addEventListener('pointerdown', wake);
    return () => {
      if (timer) clearTimeout(timer);
      window.removeEventListener('pointermove', wake);
      window.removeEventListener('pointerdown', wake);
      root.classList.remove('cursor-idle');
    };
  }, [enabled, idleMs]);
}
