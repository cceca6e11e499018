import type { WebContents } from 'electron';
import { isAppUrl } from '../appOrigin.js';
import { checkExternalUrl } from './externalUrl.js';

/**
 * The window never leaves app://opsdeck and never opens another window: navigations elsewhere and
 * window.open are denied, and http(s) links that pass checkExternalUrl go to the system browser
 * instead. <webview> attachment is refused too.
 */
export function installNavigationGuards(
  contents: WebContents,
  openExternal: (url: string) => void,
): void {
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    const external = checkExternalUrl(event.url);
    if (external) openExternal(external);
  });
  contents.setWindowOpenHandler(({ url }) => {
    const external = checkExternalUrl(url);
    if (external) openExternal(external);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
