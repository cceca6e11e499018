// `npm run dist`: builds, then makes the installers with electron-builder (electron-builder.yml), for
// the host platform unless told otherwise (`npm run dist -- --win`, `-- --linux deb`, ...).
// electron-builder downloads the Electron release for the target and rebuilds native modules against
// Electron's headers; where Electron cannot be obtained this says so in one line and exits 1.
import {
  binScript,
  build,
  electronObtainable,
  electronVersion,
  electronZipName,
  host,
  run,
} from './electronRuntime.js';
import { saveNodeBuilds, useNodeBuilds } from './nativeModules.js';

const args = process.argv.slice(2);

/** The platform/arch pairs electron-builder will package, from its command-line flags. */
function targets(argv) {
  const platforms = new Set();
  const arches = new Set();
  for (const arg of argv) {
    if (/^(-w|--win|--windows)$/.test(arg)) platforms.add('win32');
    if (/^(-m|-o|--mac|--macos)$/.test(arg)) platforms.add('darwin');
    if (/^(-l|--linux)$/.test(arg)) platforms.add('linux');
    const arch = /^--(x64|ia32|armv7l|arm64|universal)$/.exec(arg)?.[1];
    if (arch === 'universal') arches.add('x64').add('arm64');
    else if (arch) arches.add(arch);
  }
  if (platforms.size === 0) platforms.add(host.platform);
  if (arches.size === 0) arches.add(host.arch);
  return [...platforms].flatMap((platform) => [...arches].map((arch) => ({ platform, arch })));
}

function fail(message) {
  console.error(`opsdeck dist: ${message}`);
  return 1;
}

async function main() {
  const version = electronVersion();
  if (!version) return fail('the electron package is not installed (npm install)');
  // With a custom Electron build (-c.electronDist=...) electron-builder downloads no release.
  if (!args.some((arg) => arg.includes('electronDist'))) {
    for (const target of targets(args)) {
      const obtainable = await electronObtainable(version, target);
      if (!obtainable.ok) {
        return fail(
          `cannot obtain the Electron ${version} runtime (${electronZipName(version, target)}): ${obtainable.reason}; installers need it, so build them where it can be downloaded`,
        );
      }
    }
  }

  const built = await build();
  if (built !== 0) return fail(`npm run build failed (exit ${built})`);

  // electron-builder rebuilds native modules for Electron in place; put the Node builds back after.
  saveNodeBuilds();
  try {
    const code = await run(process.execPath, [binScript('electron-builder', 'cli.js'), ...args]);
    if (code !== 0) return fail(`electron-builder failed (exit ${code}); its messages are above`);
    console.log('opsdeck dist: installers are in dist/installers/');
    return 0;
  } finally {
    await useNodeBuilds();
  }
}

process.exitCode = await main();
