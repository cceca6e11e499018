/**
 * A fake `electron` module for main-process unit tests (the Electron binary cannot be downloaded
 * here). It implements just what main/ uses, records what the code under test did, and lets tests
 * play the other side (invoke an IPC handler as a given sender, navigate, request a permission).
 *
 *   vi.mock('electron', () => import('../../test/helpers/fakeElectron.js'));
 *   import { fake } from '../../test/helpers/fakeElectron.js';
 *   beforeEach(() => fake.reset());
 *
 * Not provided on purpose: utilityProcess (tests launch children with main/server/nodeLauncher).
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

type StorageBackend =
  'basic_text' | 'gnome_libsecret' | 'kwallet' | 'kwallet5' | 'kwallet6' | 'unknown';

type Handler = (event: FakeInvokeEvent, ...args: unknown[]) => unknown;
type PermissionRequestHandler = (
  contents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: unknown,
) => void;
type PermissionCheckHandler = (
  contents: unknown,
  permission: string,
  origin: string,
  details: unknown,
) => boolean;

// ---- events --------------------------------------------------------------------------------

export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

function fakeEvent<T extends object>(fields: T): T & FakeEvent {
  return {
    ...fields,
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

// ---- web contents, frames, sessions ----------------------------------------------------------

export class FakeFrame {
  constructor(
    public url: string,
    public parent: FakeFrame | null = null,
  ) {}
}

export class FakeSession {
  permissionRequestHandler: PermissionRequestHandler | null = null;
  permissionCheckHandler: PermissionCheckHandler | null = null;
  deviceHandler: ((details: unknown) => boolean) | null = null;

  setPermissionRequestHandler(handler: PermissionRequestHandler | null): void {
    this.permissionRequestHandler = handler;
  }
  setPermissionCheckHandler(handler: PermissionCheckHandler | null): void {
    this.permissionCheckHandler = handler;
  }
  setDevicePermissionHandler(handler: ((details: unknown) => boolean) | null): void {
    this.deviceHandler = handler;
  }

  /** Plays a page asking for `permission`; resolves with the answer. */
  requestPermission(contents: unknown, permission: string): Promise<boolean> {
    return new Promise((resolve) => {
      if (!this.permissionRequestHandler) throw new Error('no permission request handler');
      this.permissionRequestHandler(contents, permission, resolve, {});
    });
  }
}

let nextContentsId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame: FakeFrame;
  readonly sent: { channel: string; payload: unknown }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'allow' | 'deny' }) | undefined;
  destroyed = false;
  url = '';

  constructor(readonly session: FakeSession) {
    super();
    this.mainFrame = new FakeFrame('');
  }

  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'allow' | 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getURL(): string {
    return this.url;
  }

  /** Plays a navigation started by the page; returns whether it was prevented. */
  navigate(url: string): boolean {
    const event = fakeEvent({ url, isMainFrame: true, isSameDocument: false });
    this.emit('will-navigate', event, url);
    return event.defaultPrevented;
  }
  /** Plays window.open / target=_blank; returns the handler's answer. */
  openWindow(url: string): { action: 'allow' | 'deny' } {
    if (!this.windowOpenHandler) return { action: 'allow' };
    return this.windowOpenHandler({
      url,
      frameName: '',
      features: '',
      disposition: 'new-window',
    } as {
      url: string;
    });
  }
  /** Plays a <webview> being attached; returns whether it was prevented. */
  attachWebview(): boolean {
    const event = fakeEvent({});
    this.emit('will-attach-webview', event, {}, {});
    return event.defaultPrevented;
  }
}

// ---- BrowserWindow ---------------------------------------------------------------------------

export class FakeBrowserWindow extends EventEmitter {
  static getAllWindows(): FakeBrowserWindow[] {
    return state.windows.filter((w) => !w.destroyed);
  }

  readonly webContents: FakeWebContents;
  bounds: Rect;
  loadedUrl: string | undefined;
  visible = false;
  focused = false;
  minimized = false;
  maximized = false;
  fullScreen = false;
  kiosk = false;
  destroyed = false;

  constructor(readonly options: Record<string, unknown> = {}) {
    super();
    this.webContents = new FakeWebContents(state.defaultSession);
    const display = state.displays[0]?.workArea ?? { x: 0, y: 0, width: 1920, height: 1080 };
    const width = typeof options.width === 'number' ? options.width : 800;
    const height = typeof options.height === 'number' ? options.height : 600;
    this.bounds = {
      x:
        typeof options.x === 'number'
          ? options.x
          : display.x + Math.round((display.width - width) / 2),
      y:
        typeof options.y === 'number'
          ? options.y
          : display.y + Math.round((display.height - height) / 2),
      width,
      height,
    };
    state.windows.push(this);
  }

  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    this.webContents.url = url;
    this.webContents.mainFrame.url = url;
    return Promise.resolve();
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  focus(): void {
    this.focused = true;
  }
  isVisible(): boolean {
    return this.visible;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  minimize(): void {
    this.minimized = true;
  }
  restore(): void {
    this.minimized = false;
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  maximize(): void {
    this.maximized = true;
  }
  isFullScreen(): boolean {
    return this.fullScreen;
  }
  setFullScreen(value: boolean): void {
    this.fullScreen = value;
  }
  isKiosk(): boolean {
    return this.kiosk;
  }
  setKiosk(value: boolean): void {
    this.kiosk = value;
  }
  getBounds(): Rect {
    return { ...this.bounds };
  }
  getNormalBounds(): Rect {
    return { ...this.bounds };
  }
  setBounds(bounds: Partial<Rect>): void {
    this.bounds = { ...this.bounds, ...bounds };
    this.emit('resize');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  close(): void {
    const event = fakeEvent({});
    this.emit('close', event);
    if (event.defaultPrevented) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

// ---- IPC -------------------------------------------------------------------------------------

export interface FakeInvokeEvent {
  sender: FakeWebContents;
  senderFrame: FakeFrame | null;
  frameId: number;
  processId: number;
  type: 'frame';
}

export const ipcMain = {
  handle(channel: string, handler: Handler): void {
    if (state.handlers.has(channel)) {
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    }
    state.handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    state.handlers.delete(channel);
  },
};

/** The renderer side, for the preload test: records invokes, delivers main -> renderer events. */
export const ipcRenderer = Object.assign(new EventEmitter(), {
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    state.invoked.push({ channel, args });
    return Promise.resolve(state.invokeResults.get(channel));
  },
});

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown): void {
    state.exposed.set(key, api);
  },
};

// ---- app and the rest ------------------------------------------------------------------------

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const app = Object.assign(new EventEmitter(), {
  isPackaged: false,
  getPath(name: string): string {
    if (name === 'userData') return state.userData;
    if (name === 'logs') return join(state.userData, 'logs');
    if (name === 'temp') return tmpdir();
    throw new Error(`fake app.getPath: ${name} not faked`);
  },
  getAppPath: () => REPO_ROOT,
  getName: () => 'Opsdeck',
  getVersion: () => '0.1.0',
  whenReady: () => Promise.resolve(),
  isReady: () => true,
  requestSingleInstanceLock: () => state.singleInstanceLock,
  setBadgeCount(count: number): boolean {
    state.badgeCount = count;
    return true;
  },
  setAboutPanelOptions(options: unknown): void {
    state.aboutOptions = options;
  },
  showAboutPanel(): void {
    state.aboutShown++;
  },
  quit(): void {
    state.quitRequests++;
    const event = fakeEvent({});
    app.emit('before-quit', event);
    if (event.defaultPrevented) return;
    state.quitted = true;
    app.emit('will-quit', fakeEvent({}));
    app.emit('quit', fakeEvent({}), 0);
  },
  /** Plays a second launch of the app. */
  secondInstance(): void {
    app.emit('second-instance', fakeEvent({}), ['opsdeck'], process.cwd(), {});
  },
});

/** A reversible stand-in for the OS keychain cipher: never leaves the text readable. */
function fakeCipher(text: string): Buffer {
  return Buffer.concat([
    Buffer.from('FAKE1'),
    Buffer.from(Buffer.from(text, 'utf8').map((b) => b ^ 0xa5)),
  ]);
}

export const safeStorage = {
  isAsyncEncryptionAvailable: () => Promise.resolve(state.encryptionAvailable),
  encryptStringAsync(text: string): Promise<Buffer> {
    if (!state.encryptionAvailable)
      return Promise.reject(new Error('Encryption is not available.'));
    return Promise.resolve(fakeCipher(text));
  },
  decryptStringAsync(data: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }> {
    if (!state.encryptionAvailable)
      return Promise.reject(new Error('Decryption is not available.'));
    if (data.subarray(0, 5).toString() !== 'FAKE1') {
      return Promise.reject(
        new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.'),
      );
    }
    const text = Buffer.from(data.subarray(5).map((b) => b ^ 0xa5)).toString('utf8');
    return Promise.resolve({ result: text, shouldReEncrypt: state.shouldReEncrypt });
  },
  getSelectedStorageBackend: (): StorageBackend => state.backend,
};

export const shell = {
  openExternal(url: string): Promise<void> {
    state.openedExternal.push(url);
    return Promise.resolve();
  },
  openPath(path: string): Promise<string> {
    state.openedPaths.push(path);
    return Promise.resolve('');
  },
};

export const session = {
  get defaultSession(): FakeSession {
    return state.defaultSession;
  },
};

export type ProtocolHandler = (request: Request) => Response | Promise<Response>;

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown[]): void {
    state.privilegedSchemes.push(...schemes);
  },
  handle(scheme: string, handler: ProtocolHandler): void {
    state.protocolHandlers.set(scheme, handler);
  },
};

export interface FakeMenuItem {
  label?: string;
  role?: string;
  type?: string;
  accelerator?: string;
  checked?: boolean;
  enabled?: boolean;
  click?: (...args: unknown[]) => void;
  submenu?: FakeMenuItem[];
}

export class FakeMenu {
  constructor(readonly items: FakeMenuItem[]) {}
}

export const Menu = {
  buildFromTemplate: (template: FakeMenuItem[]) => new FakeMenu(template),
  setApplicationMenu(menu: FakeMenu | null): void {
    state.applicationMenu = menu;
  },
};

export interface FakeImage {
  /** Set for images loaded from a file (empty when the file does not exist, as in Electron). */
  path?: string;
  bitmap: Buffer;
  width: number;
  height: number;
  scaleFactor: number;
  isEmpty(): boolean;
}

export const nativeImage = {
  createFromPath(path: string): FakeImage {
    const found = existsSync(path);
    return {
      path,
      bitmap: Buffer.alloc(0),
      width: found ? 16 : 0,
      height: found ? 16 : 0,
      scaleFactor: 1,
      isEmpty: () => !found,
    };
  },
  createFromBitmap(
    bitmap: Buffer,
    options: { width: number; height: number; scaleFactor?: number },
  ): FakeImage {
    return {
      bitmap,
      width: options.width,
      height: options.height,
      scaleFactor: options.scaleFactor ?? 1,
      isEmpty: () => bitmap.length === 0,
    };
  },
};

export class Tray extends EventEmitter {
  image: FakeImage;
  tooltip = '';
  /** macOS: text beside the icon in the menu bar. */
  title = '';
  contextMenu: FakeMenu | null = null;
  destroyed = false;

  constructor(image: FakeImage) {
    super();
    this.image = image;
    state.trays.push(this);
  }
  setImage(image: FakeImage): void {
    this.image = image;
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setTitle(text: string): void {
    this.title = text;
  }
  setContextMenu(menu: FakeMenu | null): void {
    this.contextMenu = menu;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

export class Notification extends EventEmitter {
  static isSupported(): boolean {
    return state.notificationsSupported;
  }

  shown = false;

  constructor(
    readonly options: { title: string; body?: string; silent?: boolean; urgency?: string },
  ) {
    super();
  }
  show(): void {
    this.shown = true;
    state.notifications.push(this);
  }
}

/** Power events: tests play them with `powerMonitor.emit('resume')`. */
export const powerMonitor = new EventEmitter();

/** `net.isOnline()` answers `fake.state.online`. */
export const net = {
  isOnline: (): boolean => state.online,
};

export const screen = {
  getAllDisplays: () => state.displays,
  getPrimaryDisplay: () => state.displays[0],
};

export { FakeBrowserWindow as BrowserWindow };

// ---- state and controls ----------------------------------------------------------------------

interface FakeState {
  userData: string;
  encryptionAvailable: boolean;
  backend: StorageBackend;
  shouldReEncrypt: boolean;
  singleInstanceLock: boolean;
  quitRequests: number;
  quitted: boolean;
  aboutOptions: unknown;
  aboutShown: number;
  handlers: Map<string, Handler>;
  invoked: { channel: string; args: unknown[] }[];
  invokeResults: Map<string, unknown>;
  exposed: Map<string, unknown>;
  windows: FakeBrowserWindow[];
  defaultSession: FakeSession;
  openedExternal: string[];
  openedPaths: string[];
  privilegedSchemes: unknown[];
  protocolHandlers: Map<string, ProtocolHandler>;
  applicationMenu: FakeMenu | null;
  trays: Tray[];
  notifications: Notification[];
  notificationsSupported: boolean;
  badgeCount: number;
  online: boolean;
  displays: { id: number; bounds: Rect; workArea: Rect }[];
}

function freshState(): FakeState {
  return {
    userData: mkdtempSync(join(tmpdir(), 'opsdeck-userdata-')),
    encryptionAvailable: true,
    backend: 'gnome_libsecret',
    shouldReEncrypt: false,
    singleInstanceLock: true,
    quitRequests: 0,
    quitted: false,
    aboutOptions: undefined,
    aboutShown: 0,
    handlers: new Map(),
    invoked: [],
    invokeResults: new Map(),
    exposed: new Map(),
    windows: [],
    defaultSession: new FakeSession(),
    openedExternal: [],
    openedPaths: [],
    privilegedSchemes: [],
    protocolHandlers: new Map(),
    applicationMenu: null,
    trays: [],
    notifications: [],
    notificationsSupported: true,
    badgeCount: 0,
    online: true,
    displays: [
      {
        id: 1,
        bounds: { x: 0, y: 0, width: 1920, height: 1080 },
        workArea: { x: 0, y: 0, width: 1920, height: 1040 },
      },
    ],
  };
}

let state = freshState();

/** Test controls: the recorded state, and the other side of each API. */
export const fake = {
  get state(): FakeState {
    return state;
  },
  /** A fresh userData folder and empty records; removes every app/ipcRenderer listener. */
  reset(): void {
    rmSync(state.userData, { recursive: true, force: true });
    state = freshState();
    app.removeAllListeners();
    ipcRenderer.removeAllListeners();
    powerMonitor.removeAllListeners();
  },
  /** Calls the registered handler of `channel` as `sender` from a frame at `frameUrl`. */
  invoke(
    channel: string,
    from: { sender: FakeWebContents; frameUrl?: string; frame?: FakeFrame | null },
    ...args: unknown[]
  ): Promise<unknown> {
    const handler = state.handlers.get(channel);
    if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    const senderFrame =
      from.frame !== undefined
        ? from.frame
        : from.frameUrl !== undefined
          ? new FakeFrame(from.frameUrl)
          : from.sender.mainFrame;
    const event: FakeInvokeEvent = {
      sender: from.sender,
      senderFrame,
      frameId: 1,
      processId: 1,
      type: 'frame',
    };
    return Promise.resolve().then(() => handler(event, ...args));
  },
  /** A web contents that is not our window's (another window, a webview, a devtools page). */
  foreignWebContents(url = 'app://opsdeck/index.html'): FakeWebContents {
    const contents = new FakeWebContents(state.defaultSession);
    contents.url = url;
    contents.mainFrame.url = url;
    return contents;
  },
  /** Plays main -> renderer: delivers `payload` on `channel` to the preload's listeners. */
  emitToRenderer(channel: string, payload: unknown): void {
    ipcRenderer.emit(channel, { sender: ipcRenderer }, payload);
  },
  /** Serves `url` through the registered protocol handler of its scheme. */
  async fetchProtocol(url: string, init?: RequestInit): Promise<Response> {
    const scheme = new URL(url).protocol.replace(/:$/, '');
    const handler = state.protocolHandlers.get(scheme);
    if (!handler) throw new Error(`no protocol handler for ${scheme}`);
    return handler(new Request(url, init));
  },
};
