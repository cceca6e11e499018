import { randomBytes } from 'node:crypto';
import {
  LOCAL_DEMO_PROFILE_ID,
  type DesktopProfile,
  type EmbeddedServerState,
} from '../../common/ipc.js';
import type { RotatingLog } from '../log/RotatingLog.js';
import type { AppPaths } from '../paths.js';
import { childEnv, type ServerLauncher } from './launcher.js';
import { ServerSupervisor } from './ServerSupervisor.js';

/**
 * Starts the embedded demo: `opsdeck demo` on the user-data database, 127.0.0.1, a free port and
 * a fresh random token for this launch, supervised (restart with backoff, give up, stop on quit).
 */
export function setupEmbeddedServer(deps: {
  paths: AppPaths;
  log: RotatingLog;
  launcher: ServerLauncher;
}): ServerSupervisor {
  const token = randomBytes(24).toString('base64url');
  const { paths } = deps;
  const supervisor = new ServerSupervisor({
    launcher: deps.launcher,
    modulePath: paths.serverEntry,
    // The token goes through the environment: command lines are visible to other local users.
    args: ['demo', '--host', '127.0.0.1', '--port', '0', '--db', paths.demoDb],
    token,
    env: childEnv({ OPSDECK_LOG_LEVEL: 'info', OPSDECK_LOG_FORMAT: 'json', OPSDECK_TOKEN: token }),
    cwd: paths.userData,
    log: (source, line) => deps.log.write(source, line),
    logFile: paths.logFile,
  });
  supervisor.start();
  return supervisor;
}

/** The built-in "Local demo" profile: the embedded server's current URL and token. */
export function localDemoProfile(state: EmbeddedServerState): DesktopProfile {
  return {
    id: LOCAL_DEMO_PROFILE_ID,
    name: 'Local demo',
    urls: state.url ? [state.url] : [],
    ...(state.token ? { token: state.token } : {}),
    builtin: true,
  };
}
