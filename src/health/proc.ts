/**
 * Cheap readers of Linux's /proc: machine CPU, each process's CPU and parent, CPU pressure and
 * load. Each returns null where the file is missing (another OS, a container without PSI).
 */
import { readFileSync, readdirSync } from 'node:fs';

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ, 100 on Linux). */
const TICKS_PER_SECOND = 100;

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Busy CPU seconds of the whole machine since boot (all cores, /proc/stat `cpu` line). */
export function machineBusySeconds(): number | null {
  const line = read('/proc/stat')?.split('\n')[0];
  if (!line?.startsWith('cpu ')) return null;
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: idle and iowait are not busy.
  const busy = f.reduce((a, b, i) => (i === 3 || i === 4 || i > 7 ? a : a + b), 0);
  return busy / TICKS_PER_SECOND;
}

export interface ProcStat {
  pid: number;
  ppid: number;
  /** utime + stime, s. */
  cpuSeconds: number;
}

/** Every process's parent and CPU seconds. */
export function processTable(): Map<number, ProcStat> {
  const out = new Map<number, ProcStat>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return out;
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const text = read(`/proc/${name}/stat`);
    if (!text) continue;
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const pid = Number(name);
    out.set(pid, { pid, ppid: Number(f[1]), cpuSeconds: (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND });
  }
  return out;
}

/** `root` and all its descendants in `table`. */
export function treeOf(root: number, table: Map<number, ProcStat>): Set<number> {
  const children = new Map<number, number[]>();
  for (const p of table.values()) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const tree = new Set<number>([root]);
  const queue = [root];
  while (queue.length) {
    for (const c of children.get(queue.shift()!) ?? []) {
      if (tree.has(c)) continue;
      tree.add(c);
      queue.push(c);
    }
  }
  return tree;
}

/** Microseconds some task waited for a CPU since boot (/proc/pressure/cpu `some total`). */
export function cpuPressureMicros(): number | null {
  const m = /^some .*total=(\d+)/m.exec(read('/proc/pressure/cpu') ?? '');
  return m ? Number(m[1]) : null;
}

export function loadAverage1(): number | null {
  const v = Number(read('/proc/loadavg')?.split(' ')[0]);
  return Number.isFinite(v) ? v : null;
}
