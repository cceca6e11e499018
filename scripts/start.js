// `npm start`: builds, then runs the desktop app in demo mode. Where the Electron runtime cannot be
// obtained it says so in one line and serves the web console instead (`opsdeck demo`), passing the
// arguments through. `npm run desktop` (--desktop) insists on the desktop app and fails instead.
// OPSDECK_NO_ELECTRON=1 asks for the web console directly.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  binScript,
  build,
  electronObtainable,
  electronVersion,
  findElectronBinary,
  root,
  run,
} from './electronRuntime.js';
import { useElectronBuilds, useNodeBuilds } from './nativeModules.js';

const args = process.argv.slice(2);
const desktopOnly = args[0] === '--desktop';
if (desktopOnly) args.shift();

/** Runs a long-lived child with the terminal; Ctrl+C reaches it directly, other signals are relayed. */
function supervise(command, childArgs, env = process.env) {
  return new Promise((resolve) => {
    const child = spawn(command, childArgs, { cwd: root, stdio: 'inherit', env });
    const relay = (signal) => {
      if (signal !== 'SIGINT') child.kill(signal);
    };
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, relay);
    child.on('error', (error) => {
      console.error(`opsdeck: cannot start ${command}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 0 : 1)));
  });
}

/** Serves the web console instead of the desktop app, saying why in one line. */
async function webConsole(why) {
  if (desktopOnly) {
    console.error(`opsdeck: ${why}`);
    return 1;
  }
  console.log(`opsdeck: ${why}; serving the web console instead`);
  await useNodeBuilds();
  return supervise(process.execPath, [join(root, 'bin', 'opsdeck.js'), 'demo', ...args]);
}

/** The Electron binary, downloading it with electron's own installer where that is possible. */
async function electronBinary() {
  const found = findElectronBinary();
  if ('path' in found || !electronVersion()) return found;
  const obtainable = await electronObtainable();
  if (!obtainable.ok) return { reason: `${found.reason}; ${obtainable.reason}` };
  console.log(`opsdeck: downloading the Electron ${electronVersion()} runtime`);
  const code = await run(process.execPath, [binScript('electron', 'install.js')]);
  return code === 0 ? findElectronBinary() : { reason: `its installer failed (exit ${code})` };
}

async function main() {
  const built = await build();
  if (built !== 0) return built;
  if (process.env.OPSDECK_NO_ELECTRON) return webConsole('OPSDECK_NO_ELECTRON is set');

  const binary = await electronBinary();
  if (!('path' in binary)) {
    const version = electronVersion();
    return webConsole(
      `the Electron runtime is not available here (${version ? `Electron ${version}: ` : ''}${binary.reason})`,
    );
  }
  const entry = join(root, 'dist', 'main', 'main.js');
  if (!existsSync(entry)) return webConsole('the desktop app is not built (no dist/main/main.js)');
  if (!(await useElectronBuilds())) {
    return webConsole('native modules could not be rebuilt for Electron (see above)');
  }
  try {
    const env = { ...process.env };
    delete env.ELECTRON_RUN_AS_NODE;
    return await supervise(binary.path, [entry, ...args], env);
  } finally {
    await useNodeBuilds();
  }
}

process.exitCode = await main();
