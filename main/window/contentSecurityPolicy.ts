/** The console's Content-Security-Policy: the same in the desktop app as on the server. */
export { CONSOLE_CSP } from '../../common/consoleAssets.js';
