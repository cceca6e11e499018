/**
 * A User-Agent header in a few words for the clients list: "Chrome 131 · Linux", "Opsdeck desktop
 * (Electron 33) · macOS", "Node.js client". The full header stays available (the cell's title).
 */
export function shortUserAgent(agent: string): string {
  const ua = agent.trim();
  if (ua === '') return 'none sent';
  if (/^node-XMLHttpRequest/.test(ua)) return 'Node.js client';
  const program = programOf(ua);
  const platform = platformOf(ua);
  return platform ? `${program} · ${platform}` : program;
}

const PROGRAMS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/\bElectron\/(\d+)/, (m) => `Opsdeck desktop (Electron ${m[1] ?? ''})`],
  [/\bEdg(?:e|A|iOS)?\/(\d+)/, (m) => `Edge ${m[1] ?? ''}`],
  [/\bOPR\/(\d+)/, (m) => `Opera ${m[1] ?? ''}`],
  [/\bFirefox\/(\d+)/, (m) => `Firefox ${m[1] ?? ''}`],
  [/\bHeadlessChrome\/(\d+)/, (m) => `Headless Chrome ${m[1] ?? ''}`],
  [/\bChrom(?:e|ium)\/(\d+)/, (m) => `Chrome ${m[1] ?? ''}`],
  [/\bVersion\/(\d+)[^ ]* (?:Mobile\/\S+ )?Safari\//, (m) => `Safari ${m[1] ?? ''}`],
  [/^curl\/([\d.]+)/, (m) => `curl ${m[1] ?? ''}`],
];

function programOf(ua: string): string {
  for (const [pattern, name] of PROGRAMS) {
    const match = pattern.exec(ua);
    if (match) return name(match);
  }
  // Something else: its first product token ("okhttp/4.12.0"), kept short.
  const first = ua.split(/\s+/)[0] ?? ua;
  return first.length > 40 ? `${first.slice(0, 39)}…` : first;
}

const PLATFORMS: [RegExp, string][] = [
  [/\b(iPhone|iPad|iPod)\b/, 'iOS'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
  [/\bLinux\b|\bX11\b/, 'Linux'],
];

function platformOf(ua: string): string | undefined {
  return PLATFORMS.find(([pattern]) => pattern.test(ua))?.[1];
}
