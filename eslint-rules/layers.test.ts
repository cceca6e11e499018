import { RuleTester } from 'eslint';
import { join } from 'node:path';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import { layersRule } from './layers.js';
import * as table from './layerTable.js';

// RuleTester calls describe/it; vitest's are not globals here.
RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

/** The real table: these cases pin the layer design as well as the rule's mechanics. */
const root = join(import.meta.dirname, '..');
const options = [{ root, ...table }];
const tester = new RuleTester({
  languageOptions: { parser: tseslint.parser, ecmaVersion: 'latest', sourceType: 'module' },
});

const valid = (file: string, code: string) => ({ filename: join(root, file), code, options });
const invalid = (file: string, code: string, ...messageIds: string[]) => ({
  filename: join(root, file),
  code,
  options,
  errors: messageIds.map((messageId) => ({ messageId })),
});

tester.run('opsdeck/layers', layersRule, {
  valid: [
    valid('common/protocol.ts', "import { z } from 'zod';\nimport type { A } from './schemas.js';"),
    valid(
      'server/sections/SectionEngine.ts',
      [
        "import { Metrics } from '../metrics/Metrics.js';",
        "import type { DataSource } from '../sources/DataSource.js';",
        "import type { Logger } from '../log.js';",
        "import type { SectionUpdate } from '../../common/protocol.js';",
        "import { createHash } from 'node:crypto';",
      ].join('\n'),
    ),
    valid(
      'server/delivery/DeliveryCore.ts',
      "import { SlowConsumerGuard } from '../socket/SlowConsumerGuard.js';\nimport type { ClusterRuntime } from '../cluster/ClusterRuntime.js';",
    ),
    valid('server/OpsdeckServer.ts', "import { DeliveryCore } from './delivery/DeliveryCore.js';"),
    valid(
      'server/sources/mysqlSource.ts',
      "import mysql from 'mysql2/promise';\nimport pg from 'pg';",
    ),
    valid('server/cli/main.ts', "import { OpsdeckServer } from '../OpsdeckServer.js';"),
    valid('main/ipc/registerHandlers.ts', "import { ipcMain } from 'electron';"),
    valid(
      'main/window/createMainWindow.ts',
      "import { screen, type BrowserWindow } from 'electron';\nimport type { IpcMainInvokeEvent } from 'electron';\nimport { join } from 'node:path';",
    ),
    valid(
      'main/preload.cts',
      [
        "import type { InvokeChannel } from '../common/ipc.js';",
        "import electron = require('electron');",
        'const { contextBridge, ipcRenderer } = electron;',
        'electron.contextBridge.exposeInMainWorld("opsdeck", {});',
      ].join('\n'),
    ),
    valid(
      'renderer/components/ChartView.tsx',
      "import { LineChart } from 'recharts';\nimport { useState } from 'react';\nimport type { SectionUpdate } from '../../common/protocol.js';",
    ),
    valid(
      'renderer/live/testConnection.test.ts',
      "import { createServer } from 'node:http';\nimport { it } from 'vitest';\nimport { startDemo } from '../../test/helpers/cli.js';",
    ),
    valid(
      'test/cluster.test.ts',
      "import { loadConfig } from '../server/config/loadConfig.js';\nimport pg from 'pg';\nimport { chromium } from 'playwright-core';",
    ),
    valid(
      'bench/run.ts',
      "import type { SectionUpdate } from '../common/protocol.js';\nimport WebSocket from 'ws';",
    ),
    valid('bin/opsdeck.js', "const cli = await import('../dist/server/cli/main.js');"),
    valid(
      'scripts/start.js',
      "import { run } from './electronRuntime.js';\nimport { spawn } from 'node:child_process';",
    ),
    valid(
      'server/delivery/DeliveryCore.test.ts',
      "import { inProcessServer } from '../../test/support/inProcessServer.js';\nimport { expect } from 'vitest';",
    ),
    valid('vite.config.ts', "import { defineConfig } from 'vite';"),
    valid('eslint.config.js', "import { layersRule } from './eslint-rules/layers.js';"),
    valid('common/protocol.typetest.ts', "import { expectTypeOf } from 'vitest';"),
  ],
  invalid: [
    // The two escapes of the old deny-list zones.
    invalid('common/protocol.ts', "import type { Server } from 'socket.io';", 'runtime'),
    invalid(
      'main/window/createMainWindow.ts',
      "import { ipcMain } from 'electron/main';",
      'electronApi',
    ),
    // Electron APIs by name, however they are reached.
    invalid(
      'main/main.ts',
      "import * as electron from 'electron';\nelectron.ipcMain.handle('x', f);",
      'electronApi',
    ),
    invalid('main/main.ts', "const { ipcRenderer } = require('electron/renderer');", 'electronApi'),
    invalid(
      'main/main.ts',
      "import electron from 'electron/common';\nconst { ipcMain } = electron;",
      'electronApi',
    ),
    invalid('main/main.ts', "export { ipcMain } from 'electron';", 'electronApi'),
    invalid(
      'main/ipc/registerHandlers.ts',
      "import { contextBridge } from 'electron';",
      'electronApi',
    ),
    invalid(
      'renderer/App.tsx',
      "import { ipcRenderer } from 'electron';",
      'electronApi',
      'runtime',
    ),
    // Runtimes, types included.
    invalid('common/ipc.ts', "type S = import('socket.io').Socket;", 'runtime'),
    invalid(
      'common/x.ts',
      "import { readFileSync } from 'node:fs';\nimport path from 'path';",
      'runtime',
      'runtime',
    ),
    invalid('common/x.ts', "const fs = await import('node:fs');", 'runtime'),
    invalid('common/x.ts', "import { createRoot } from 'react-dom/client';", 'runtime'),
    invalid('renderer/live/PushClient.ts', "import { join } from 'node:path';", 'runtime'),
    invalid('server/http/httpHandler.ts', "import { LineChart } from 'recharts';", 'runtime'),
    invalid('server/cli/main.ts', "import { describe } from 'vitest';", 'runtime'),
    invalid('test/desktop/launch.ts', "import { app } from 'electron';", 'runtime'),
    invalid('scripts/start.js', "import { createRoot } from 'react-dom/client';", 'runtime'),
    invalid('server/sources/x.ts', "import leftPad from 'left-pad';", 'unknownPackage'),
    // Folders: relative paths resolved, every folder covered.
    invalid(
      'main/main.ts',
      "import { OpsdeckServer } from '../server/OpsdeckServer.js';",
      'folder',
    ),
    invalid('renderer/App.tsx', "import type { Paths } from '../main/paths.js';", 'folder'),
    invalid(
      'server/sections/SectionEngine.ts',
      [
        "import type { ClusterRuntime } from '../cluster/ClusterRuntime.js';",
        "import { attachProtocol } from '../socket/attachProtocol.js';",
        "import type { Watcher } from '../watch/Watcher.js';",
        "import { httpHandler } from '../http/httpHandler.js';",
      ].join('\n'),
      'folder',
      'folder',
      'folder',
      'folder',
    ),
    invalid('server/metrics/Metrics.ts', "import type { Logger } from '../log.js';", 'folder'),
    // The notify feed's layers: sources/ (catalog) <- verify/ (problems) <- watch/ (the feed).
    invalid(
      'server/sources/postgresSource.ts',
      "import { verifyNotifyFeed } from '../verify/verifyNotifyFeed.js';",
      'folder',
    ),
    invalid(
      'server/verify/verifyNotifyFeed.ts',
      "import { NotifyRoutes } from '../watch/NotifyRoutes.js';",
      'folder',
    ),
    invalid(
      'server/config/notifyTriggerSql.ts',
      "import type { SectionFeed } from '../verify/verifyNotifyFeed.js';",
      'folder',
    ),
    invalid(
      'server/socket/attachProtocol.ts',
      "import { Metrics } from '../http/Metrics.js';",
      'folder',
    ),
    invalid('server/OpsdeckServer.ts', "export * from './cli/main.js';", 'folder'),
    invalid(
      'bench/scenarios/fanout.ts',
      "import { PushClient } from '../../renderer/live/PushClient.js';",
      'folder',
    ),
    invalid('scripts/start.js', "import { log } from '../server/log.js';", 'folder'),
    invalid(
      'server/sources/postgresSource.ts',
      "import { testDb } from '../../test/helpers/services.js';",
      'folder',
    ),
    invalid('main/preload.cts', "import { CHANNELS } from '../common/ipc.js';", 'folder'),
    invalid('common/x.ts', "import secrets from '../../outside.js';", 'outside'),
    invalid('tools/gen.ts', "import { z } from 'zod';", 'uncovered'),
    invalid('server/newfolder/x.ts', '', 'uncovered'),
  ],
});
