/**
 * Where the lines of a run go while the load runs (k6's, the stack's, the harness's own).
 *
 * - Terminal: one screen redrawn in place with plain ANSI (cursor up, erase down); k6's progress
 *   and the stack's latest autoscaler events are folded into the screen, k6's banner and info
 *   lines go to the file only, and every other line is printed above the screen.
 * - CI log: k6's progress is off (`k6 run --quiet`); the stack's autoscaler events (which the
 *   status line sums up as replicas and trigger states), k6's info lines and its summary's
 *   headings go to the file only; a k6 message that repeats is printed once and counted; the
 *   status line reports the counts. So the log grows with time only by the status lines.
 *
 * Every line, folded or not, is also appended to `file` (the run folder's live.log).
 */
import { appendFileSync } from 'node:fs';

/** The stack's start-up marks (bench/ reads the first from live.log): in the file only. */
const FILE_ONLY = ['[stack] stack: first request at ', '[stack] stack: samples pushed until '];

export interface ConsoleOptions {
  tty: boolean;
  /** Writes raw text to the terminal (stderr), for the screen. */
  write: (text: string) => void;
  /** Takes one line of the CI log (and, once frozen, of the terminal). */
  log: (line: string) => void;
  /** Terminal width, columns. @default 120 */
  columns?: () => number;
  /** Appends every line here too. */
  file?: string;
  /** Distinct k6 messages printed in a CI log before the rest are only counted. @default 20 */
  maxDistinct?: number;
}

/** k6's per-second progress: `running (0m01.6s), ...` and one `name [ 3% ] ...` line per scenario. */
export function isK6Progress(text: string): boolean {
  return /^running \(/.test(text) || /^\S+\s+[✓✗↓]?\s*\[\s*\d+%\s*\]/.test(text) || /^default\s+\[/.test(text);
}

/** A heading of k6's end-of-test summary (`█ TOTAL RESULTS`, `HTTP`, ...): layout, no values. */
export function isK6Heading(text: string): boolean {
  return /^\s*(█\s+)?[A-Z][A-Z ]*$/.test(text);
}

/** The message a k6 log line repeats: its text without the timestamp. */
export function repeatKey(text: string): string {
  return text.replace(/time="[^"]*"\s*/, '');
}

/** Autoscaler events the terminal screen shows. */
export const RECENT = 3;

export class LiveConsole {
  private screen: string[] = [];
  private progressBlock: string[] = [];
  private progressRows = 0;
  private sawProgress = false;
  private readonly recent: string[] = [];
  private readonly seen = new Map<string, number>();
  private repeats = 0;
  private folded = 0;
  private file: string | undefined;
  private frozen = false;

  constructor(private readonly opts: ConsoleOptions) {
    this.file = opts.file;
  }

  /** Appended synchronously: lines keep arriving after the load (the stack's shutdown). */
  private keep(l: string): void {
    if (!this.file) return;
    try {
      appendFileSync(this.file, `${l}\n`);
    } catch {
      this.file = undefined;
    }
  }

  /** One line from k6 (prefixed `[k6] `), the stack (`[stack] `) or the harness. */
  line(l: string): void {
    const k6 = /^\[k6(?: \d+\/\d+)?\] /.exec(l);
    const text = k6 ? l.slice(k6[0].length) : l;
    if (k6 && isK6Progress(text)) {
      if (/^running \(/.test(text)) this.progressBlock = [];
      this.progressBlock.push(text.trim());
      this.progressRows = Math.max(this.progressRows, this.progressBlock.length);
      this.sawProgress = true;
      return;
    }
    this.keep(l);
    if (FILE_ONLY.some((p) => l.startsWith(p))) return;
    if (this.opts.tty && !this.frozen) {
      if (l.startsWith('[stack] autoscaler: ')) {
        this.recent.push(l.slice('[stack] '.length));
        if (this.recent.length > RECENT) this.recent.shift();
        return;
      }
      // k6's banner (before its first progress line) and info lines: in the file only.
      if (k6 && (/ level=(info|debug)\b/.test(text) || (!this.sawProgress && !/ level=\w+/.test(text)))) return;
      return this.above(l);
    }
    if (this.opts.tty) return this.opts.log(l);
    if (l.startsWith('[stack] autoscaler: ') || (k6 && / level=(info|debug)\b/.test(text)) || (k6 && isK6Heading(text))) {
      this.folded += 1;
      return;
    }
    if (k6 && / level=\w+/.test(text)) {
      const key = repeatKey(text);
      const n = this.seen.get(key);
      if (n !== undefined || this.seen.size >= (this.opts.maxDistinct ?? 20)) {
        this.seen.set(key, (n ?? 0) + 1);
        this.repeats += 1;
        return;
      }
      this.seen.set(key, 0);
    }
    this.opts.log(l);
  }

  /** k6's latest progress lines, for the screen, padded so their number never shrinks. */
  progress(): string[] {
    return [...this.progressBlock, ...Array<string>(this.progressRows - this.progressBlock.length).fill('')];
  }

  /** The stack's latest autoscaler events (terminal), oldest first. */
  events(): string[] {
    return [...this.recent];
  }

  /** Redraws the terminal screen in place. */
  draw(lines: string[]): void {
    if (!this.opts.tty || this.frozen) return;
    this.opts.write(`${this.erase()}${lines.join('\n')}\n`);
    this.screen = lines;
  }

  /** A status line in the CI log (also kept in the file). */
  status(l: string): void {
    this.keep(l);
    this.opts.log(l);
  }

  /** Counts folded since the last call, for the status line; resets them. */
  takeNotes(): string[] {
    const notes: string[] = [];
    const lines = (n: number) => `${n} ${n === 1 ? 'line' : 'lines'}`;
    if (this.repeats > 0) notes.push(`k6 repeated ${lines(this.repeats)} (live.log)`);
    if (this.folded > 0) notes.push(`${lines(this.folded)} of autoscaler/k6 info in live.log`);
    this.repeats = 0;
    this.folded = 0;
    return notes;
  }

  /** Stops redrawing: from now on lines are appended (e.g. after Ctrl-C). The screen stays. */
  freeze(): void {
    this.frozen = true;
  }

  /** Width to cut the screen's lines at. */
  width(): number {
    return Math.max(40, this.opts.columns?.() ?? 120);
  }

  private erase(): string {
    // Cursor to the start of the screen's first line, then erase to the end of the display.
    return this.screen.length > 0 ? `\x1b[${this.screen.length}F\x1b[0J` : '';
  }

  private above(l: string): void {
    this.opts.write(`${this.erase()}${l}\n${this.screen.length > 0 ? `${this.screen.join('\n')}\n` : ''}`);
  }
}
