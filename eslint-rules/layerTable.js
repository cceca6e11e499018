// @ts-check
/**
 * The layer table enforced by `opsdeck/layers` (eslint-rules/layers.js), described in
 * ARCHITECTURE.md ("Layer rules"). Every code file of the repository falls in exactly one layer
 * (the most specific `files` pattern wins); a file no layer covers fails lint, so a new folder is
 * added here deliberately, with what it may import. A layer may always import its own files.
 */

/**
 * Which runtime each package belongs to. `node:` built-ins are `node`. A package missing here
 * fails lint wherever it is imported.
 * @type {Record<string, string[]>}
 */
export const runtimes = {
  node: [
    'pg',
    'mysql2',
    'better-sqlite3',
    'ioredis',
    'socket.io',
    '@socket.io/redis-adapter',
    '@socket.io/sticky',
    '@socket.io/admin-ui',
    'pino',
    'pino-pretty',
    'prom-client',
    'ws',
    '@vlasky/zongji',
    'pg-logical-replication',
  ],
  dom: ['react', 'react-dom', 'recharts'],
  shared: ['zod', 'yaml', 'socket.io-client'],
  electron: ['electron'],
  // Tooling: tests, benchmarks, build and lint configuration; never in shipped code.
  dev: [
    'vitest',
    '@testing-library/react',
    '@testing-library/dom',
    '@axe-core/playwright',
    'playwright-core',
    'jsdom',
    'typescript',
    'eslint',
    '@eslint/js',
    'typescript-eslint',
    'globals',
    'eslint-plugin-react-hooks',
    'vite',
    '@vitejs/plugin-react',
    'fast-check',
    '@fast-check/vitest',
  ],
};

/** Only the layers that grant these by name may use them (from any `electron` subpath). */
export const restrictedElectronApis = ['ipcMain', 'ipcRenderer', 'contextBridge'];

const SERVER = ['node', 'shared'];
const SERVER_UTIL = 'server/{log,version}.ts';

/** @type {import('./resolveLayer.js').Layer[]} */
export const layers = [
  { name: 'common/', files: ['common/**'], runtimes: ['shared'] },

  // server/: Node only. Lower folders first; nothing below imports upwards.
  { name: 'server/log+version', files: [SERVER_UTIL], runtimes: SERVER },
  {
    name: 'server/metrics/',
    files: ['server/metrics/**'],
    imports: ['common/**'],
    runtimes: SERVER,
  },
  {
    name: 'server/sources/',
    files: ['server/sources/**'],
    imports: ['common/**', SERVER_UTIL],
    runtimes: SERVER,
  },
  {
    name: 'server/sections/',
    files: ['server/sections/**'],
    // Never cluster/, socket/, watch/ or http/: delivery lives in the core beside OpsdeckServer.ts.
    imports: ['common/**', SERVER_UTIL, 'server/metrics/**', 'server/sources/**'],
    runtimes: SERVER,
  },
  {
    name: 'server/watch/',
    files: ['server/watch/**'],
    imports: [
      'common/**',
      SERVER_UTIL,
      'server/sections/**',
      'server/sources/**',
      'server/verify/**',
    ],
    runtimes: SERVER,
  },
  {
    name: 'server/verify/',
    files: ['server/verify/**'],
    // The notify-feed checks: from the catalog (sources/) to problems; never the feeds themselves.
    imports: ['common/**', 'server/config/**', 'server/sections/**', 'server/sources/**'],
    runtimes: SERVER,
  },
  {
    name: 'server/config/',
    files: ['server/config/**'],
    // alerts/: the `when:` and `for:` grammars and the alerts/dashboards checks (alertConfigIssues).
    imports: ['common/**', 'server/alerts/**', 'server/cli/limits.ts', 'server/sources/**'],
    runtimes: SERVER,
  },
  {
    // Alert rules: parsed, evaluated on the engine's updates and statuses (the leader), relayed.
    // Imported by config/ (grammar), the composition and cli/ (check); never by sections/ or below.
    name: 'server/alerts/',
    files: ['server/alerts/**'],
    imports: [
      'common/**',
      SERVER_UTIL,
      'server/metrics/**',
      'server/sections/**',
      'server/socket/**',
    ],
    runtimes: SERVER,
  },
  {
    name: 'server/demo/',
    files: ['server/demo/**'],
    imports: ['common/**', SERVER_UTIL, 'server/sections/**', 'server/sources/**'],
    runtimes: SERVER,
  },
  {
    name: 'server/socket/',
    files: ['server/socket/**'],
    imports: ['common/**', SERVER_UTIL, 'server/metrics/**', 'server/sections/**'],
    runtimes: SERVER,
  },
  {
    name: 'server/cluster/',
    files: ['server/cluster/**'],
    imports: ['common/**', SERVER_UTIL, 'server/metrics/**', 'server/sections/**'],
    runtimes: SERVER,
  },
  {
    name: 'server/http/',
    files: ['server/http/**'],
    imports: [
      'common/**',
      SERVER_UTIL,
      'server/metrics/**',
      'server/sections/**',
      'server/socket/**',
    ],
    runtimes: SERVER,
  },
  {
    // The delivery core (engine -> slow-consumer guard -> rooms), single-node or cluster.
    name: 'server/delivery/',
    files: ['server/delivery/**'],
    imports: [
      'common/**',
      SERVER_UTIL,
      'server/{cluster,metrics,sections,socket,sources,watch}/**',
    ],
    runtimes: SERVER,
  },
  {
    // Instruments the Socket.IO server for outside tools (the official Admin UI).
    name: 'server/observability/',
    files: ['server/observability/**'],
    imports: ['common/**', SERVER_UTIL, 'server/socket/**'],
    runtimes: SERVER,
  },
  {
    // OpsdeckServer.ts and configuredServer.ts compose the rest (never cli/ or demo/).
    name: 'server/ (composition)',
    files: ['server/*'],
    imports: [
      'common/**',
      'server/{alerts,cluster,config,delivery,http,metrics,observability,sections,socket,sources,verify,watch}/**',
    ],
    runtimes: SERVER,
  },
  {
    name: 'server/cli/',
    files: ['server/cli/**'],
    imports: ['common/**', 'server/**'],
    runtimes: SERVER,
  },

  // main/: the Electron main process. Only main/ipc and the preload touch IPC.
  {
    name: 'main/',
    files: ['main/**'],
    imports: ['common/**'],
    runtimes: ['electron', 'node', 'shared'],
  },
  {
    name: 'main/ipc/',
    files: ['main/ipc/**'],
    imports: ['common/**', 'main/**'],
    runtimes: ['electron', 'node', 'shared'],
    electronApis: ['ipcMain'],
  },
  {
    // Sandboxed: its `require` knows only electron (and events, timers, url); common/ for types only.
    name: 'main/preload.cts',
    files: ['main/preload.cts'],
    runtimes: ['electron'],
    types: { imports: ['common/**'] },
    electronApis: ['ipcRenderer', 'contextBridge'],
  },

  {
    name: 'renderer/',
    files: ['renderer/**'],
    imports: ['common/**'],
    runtimes: ['shared', 'dom'],
  },

  {
    name: 'test/',
    files: ['test/**'],
    imports: ['common/**', 'server/**', 'main/**', 'renderer/**', 'testkit/**'],
    // Never electron: requiring it downloads the runtime; tests launch it through playwright.
    runtimes: ['node', 'shared', 'dom', 'dev'],
  },
  {
    name: 'bench/',
    files: ['bench/**'],
    imports: ['common/**', 'server/**', 'testkit/**'],
    runtimes: ['node', 'shared', 'dev'],
  },
  {
    // Helpers shared by test/ and bench/ (metric parsing, test databases, cluster fixture).
    name: 'testkit/',
    files: ['testkit/**'],
    imports: ['common/**'],
    runtimes: ['node', 'shared', 'dev'],
  },
  // Run by plain node before (or without) a build: Node packages and each other, nothing compiled.
  { name: 'scripts/', files: ['scripts/**'], runtimes: ['node'] },
  { name: 'bin/', files: ['bin/**'], imports: ['dist/server/cli/main.js'], runtimes: ['node'] },
  {
    name: 'root config',
    files: ['*.config.{js,ts}'],
    imports: ['eslint-rules/**'],
    runtimes: ['node', 'dev'],
  },
  { name: 'eslint-rules/', files: ['eslint-rules/**'], runtimes: ['node', 'dev'] },
];

/** @type {import('./resolveLayer.js').Overlay[]} */
export const overlays = [
  {
    // Tests anywhere (and type tests) may use Node, the test tooling and the shared test code.
    files: ['**/*.{test,test-d,typetest}.{ts,tsx}'],
    imports: ['test/{helpers,support}/**', 'testkit/**'],
    runtimes: ['node', 'dev'],
  },
];
