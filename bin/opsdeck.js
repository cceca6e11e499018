#!/usr/bin/env node
// The `opsdeck` command: runs the compiled server (`npm install` builds it; `npm run build` again).
import module from 'node:module';

// Node 22.1+: keep V8's compiled code of the server's modules on disk, so that later starts skip
// compiling them (a good part of start-up). Older Node has no such cache; nothing changes there.
module.enableCompileCache?.();

let cli;
try {
  cli = await import('../dist/server/cli/main.js');
} catch (error) {
  if (error && error.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('dist')) {
    process.stderr.write('opsdeck: not built yet; run `npm run build` in the opsdeck folder\n');
    process.exit(1);
  }
  throw error;
}
const code = await cli.main(process.argv.slice(2));
// Writes to a pipe are asynchronous on POSIX: let what was written reach the reader (`opsdeck
// --help | less`, a test reading stdout) before exiting, or a loaded machine can cut it off.
await new Promise((resolve) => process.stdout.write('', resolve));
await new Promise((resolve) => process.stderr.write('', resolve));
process.exit(code);
