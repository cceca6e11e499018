import { ipcMain } from 'electron';
import {
  type AlertsReport,
  type AppInfo,
  type ConnectionReport,
  type EmbeddedServerState,
  type InvokeArgs,
  type InvokeChannel,
  type InvokeResult,
  type NotificationPrefs,
  type NotificationPrefsPatch,
} from '../../common/ipc.js';
import type { ServerProbe } from '../../common/serverProbe.js';
import { describeIssues } from '../../common/schemas.js';
import { probeServer } from '../probe/probeServer.js';
import type { ProfileStore } from '../profiles/ProfileStore.js';
import { INVOKE_CHANNELS, invokeArgSchemas } from './argSchemas.js';
import type { SenderCheck } from './senderCheck.js';

export interface HandlerDeps {
  isTrustedSender: SenderCheck;
  profiles: ProfileStore;
  server: {
    getState(): EmbeddedServerState;
    whenSettled(timeoutMs: number): Promise<EmbeddedServerState>;
    restart(): Promise<void>;
  };
  prefs: {
    get(): NotificationPrefs;
    update(patch: NotificationPrefsPatch): Promise<NotificationPrefs>;
  };
  /** Opens a URL in the system browser after the external-URL check; false if refused. */
  openExternal(url: string): Promise<boolean>;
  appInfo(): AppInfo;
  onConnectionReport(report: ConnectionReport): void;
  /** The console's firing alerts changed (desktop notifications, tray badge). */
  onAlertsReport(report: AlertsReport): void;
  /** The connect dialog's probe of a server URL (default: main/probe/probeServer.ts). */
  probeServer?(url: string): Promise<ServerProbe>;
  /** How long profiles:list waits for the embedded server's URL at start. */
  serverStartWaitMs?: number;
}

type Handlers = {
  [C in InvokeChannel]: (...args: InvokeArgs<C>) => Promise<InvokeResult<C>> | InvokeResult<C>;
};

/**
 * One ipcMain.handle per channel of the contract. Each checks its sender first, then validates
 * the arguments with the contract's schema; a refused call rejects in the renderer.
 * Returns a function that removes the handlers.
 */
export function registerHandlers(deps: HandlerDeps): () => void {
  const handlers: Handlers = {
    'profiles:list': async () => {
      // At launch the local demo's URL is not known yet: wait for it rather than list no URL.
      await deps.server.whenSettled(deps.serverStartWaitMs ?? 30_000);
      return deps.profiles.list();
    },
    'profiles:save': (profile) => deps.profiles.save(profile),
    'profiles:delete': (id) => deps.profiles.delete(id).then(() => undefined),
    'profiles:get-active': () => deps.profiles.activeId(),
    'profiles:set-active': (id) => deps.profiles.setActive(id).then(() => undefined),
    'profiles:storage-warning': () => deps.profiles.storageWarning(),
    'server:get-state': () => deps.server.getState(),
    'server:restart': () => deps.server.restart().then(() => undefined),
    'shell:open-external': (url) => deps.openExternal(url),
    'app:info': () => deps.appInfo(),
    'notifications:get-prefs': () => deps.prefs.get(),
    'notifications:set-prefs': (patch) => deps.prefs.update(patch),
    'connection:report': (report) => {
      deps.onConnectionReport(report);
      return undefined;
    },
    'connection:probe': (url) => (deps.probeServer ?? probeServer)(url),
    'alerts:report': (report) => {
      deps.onAlertsReport(report);
      return undefined;
    },
  };

  for (const channel of INVOKE_CHANNELS) bind(channel, handlers[channel], deps.isTrustedSender);
  return () => {
    for (const channel of INVOKE_CHANNELS) ipcMain.removeHandler(channel);
  };
}

function bind<C extends InvokeChannel>(
  channel: C,
  handler: Handlers[C],
  isTrustedSender: SenderCheck,
): void {
  const schema = invokeArgSchemas[channel];
  ipcMain.handle(channel, async (event, ...raw: unknown[]) => {
    if (!isTrustedSender(event)) {
      throw new Error(`${channel}: refused (the sender is not the Opsdeck window)`);
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new Error(`${channel}: invalid arguments: ${describeIssues(parsed.error).join('; ')}`);
    }
    const call = handler as (...args: unknown[]) => unknown;
    return await call(...(parsed.data as unknown[]));
  });
}
