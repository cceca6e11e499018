import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';

/** One line about the machine, printed above the table. */
export function describeMachine(): string {
  const model = cpuModel();
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const gb = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GB`;
  return (
    `${cpus().length} cores (${model}), ${gb(totalmem())} RAM (${gb(freemem())} free), ` +
    `load average ${load}, Node ${process.version}, open files limit ${fdLimit()}`
  );
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    return match?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown CPU';
  } catch {
    return cpus()[0]?.model ?? 'unknown CPU';
  }
}

function fdLimit(): string {
  try {
    return execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}
