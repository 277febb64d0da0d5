/**
 * CPU accounting for the bench, from /proc (Linux only): every `intervalMs` the sampler walks the
 * process table, keeps the descendants of this process, classifies them by role (the embedded
 * stack, k6, Prometheus, wrk) and records their utime + stime. Processes that exit keep their
 * last sample, so a window loses at most one interval of a process that ended inside it.
 * The machine's own busy time (/proc/stat) is sampled alongside, so the CPU that other users of
 * the machine took during a window shows too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';

export type Role = 'harness' | 'stack' | 'k6' | 'prometheus' | 'wrk' | 'other';
export const ROLES: Role[] = ['harness', 'stack', 'k6', 'prometheus', 'wrk', 'other'];

/** CPU seconds per role over a window, plus the machine's view of the same window. */
export interface CpuWindow {
  /** Wall-clock length of the window, s. */
  wallSeconds: number;
  /** CPU seconds (user + system) per role; `harness` is this Node process (controller, bench). */
  cpuSeconds: Record<Role, number>;
  /** Sum over roles, CPU s. */
  totalSeconds: number;
  /** Cores busy on the whole machine (all users), mean over the window. */
  machineBusyCores: number;
  /** machineBusyCores minus this process tree: other engineers' tests, the OS. */
  othersBusyCores: number;
  cores: number;
}

interface Sample {
  /** Epoch ms. */
  t: number;
  /** Ticks per pid (cumulative utime + stime), including pids that have exited. */
  ticks: Map<number, number>;
  machineBusyTicks: number;
}

const HZ = 100; // USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK).

function readStat(pid: number | 'self'): { ppid: number; ticks: number; comm: string } | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const f = text.slice(close + 2).split(' ');
  // After "(comm) ": state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
  return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), comm };
}

function machineBusyTicks(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest is already counted in user)
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return total - (v[3] ?? 0) - (v[4] ?? 0);
}

function classify(pid: number, comm: string): Role {
  if (pid === process.pid) return 'harness';
  if (comm === 'k6') return 'k6';
  if (comm === 'prometheus') return 'prometheus';
  if (comm === 'wrk') return 'wrk';
  let cmd = '';
  try {
    cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    /* gone */
  }
  return cmd.includes('src/stack/main.ts') ? 'stack' : 'other';
}

export class CpuSampler {
  private readonly roles = new Map<number, Role>();
  private readonly last = new Map<number, number>();
  private readonly samples: Sample[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly intervalMs = 250) {}

  start(): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Takes a sample now (also called at window edges for precision). */
  sample(): void {
    const parents = new Map<number, { ppid: number; ticks: number; comm: string }>();
    for (const name of readdirSync('/proc')) {
      const pid = Number(name);
      if (!Number.isInteger(pid) || pid <= 0) continue;
      const st = readStat(pid);
      if (st) parents.set(pid, st);
    }
    const mine = new Set<number>([process.pid]);
    // Descendants: repeat until no new pid joins (the table is small).
    for (let grew = true; grew; ) {
      grew = false;
      for (const [pid, st] of parents) {
        if (!mine.has(pid) && mine.has(st.ppid)) {
          mine.add(pid);
          grew = true;
        }
      }
    }
    for (const pid of mine) {
      const st = parents.get(pid);
      if (!st) continue;
      if (!this.roles.has(pid)) this.roles.set(pid, classify(pid, st.comm));
      this.last.set(pid, st.ticks);
    }
    this.samples.push({ t: Date.now(), ticks: new Map(this.last), machineBusyTicks: machineBusyTicks() });
  }

  /** Pids of live descendants started by this process (for a last-resort cleanup). */
  livePids(): number[] {
    return [...this.roles.keys()].filter((pid) => pid !== process.pid && readStat(pid) !== null);
  }

  private nearest(tMs: number): Sample {
    let best = this.samples[0];
    for (const s of this.samples) if (best === undefined || Math.abs(s.t - tMs) < Math.abs(best.t - tMs)) best = s;
    if (!best) throw new Error('CpuSampler: no samples (start() was not called)');
    return best;
  }

  /** CPU per role between two instants (epoch ms), using the samples nearest to each. */
  window(fromMs: number, toMs: number): CpuWindow {
    const a = this.nearest(fromMs);
    const b = this.nearest(toMs);
    const cpu = Object.fromEntries(ROLES.map((r) => [r, 0])) as Record<Role, number>;
    for (const [pid, ticks] of b.ticks) {
      const role = this.roles.get(pid) ?? 'other';
      cpu[role] += (ticks - (a.ticks.get(pid) ?? 0)) / HZ;
    }
    const wall = Math.max(0.001, (b.t - a.t) / 1000);
    const total = ROLES.reduce((s, r) => s + cpu[r], 0);
    const busy = (b.machineBusyTicks - a.machineBusyTicks) / HZ / wall;
    return {
      wallSeconds: round(wall, 2),
      cpuSeconds: Object.fromEntries(ROLES.map((r) => [r, round(cpu[r], 2)])) as Record<Role, number>,
      totalSeconds: round(total, 2),
      machineBusyCores: round(busy, 2),
      othersBusyCores: round(Math.max(0, busy - total / wall), 2),
      cores: os.cpus().length,
    };
  }
}

/** Busiest second per role (and of everyone else) inside a window, cores. */
export type PeakCores = Record<Role | 'others', number>;

export function peakCores(sampler: CpuSampler, fromMs: number, toMs: number, stepMs = 1000): PeakCores {
  const peak = Object.fromEntries([...ROLES, 'others'].map((r) => [r, 0])) as PeakCores;
  for (let t = fromMs; t + stepMs <= toMs + 1; t += stepMs) {
    const w = sampler.window(t, t + stepMs);
    for (const r of ROLES) peak[r] = Math.max(peak[r], round(w.cpuSeconds[r] / w.wallSeconds, 2));
    peak.others = Math.max(peak.others, w.othersBusyCores);
  }
  return peak;
}

export function round(n: number, digits = 0): number {
  const k = 10 ** digits;
  return Math.round(n * k) / k;
}

/** The 1, 5 and 15 minute load averages, rounded to 0.01. */
export function loadAverage(): [number, number, number] {
  const [a = 0, b = 0, c = 0] = os.loadavg();
  return [round(a, 2), round(b, 2), round(c, 2)];
}
