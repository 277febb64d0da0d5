/**
 * The command line: parses flags, calls the library, prints, and chooses the exit code
 * (0 pass, 1 verdict failed, 2 bad input, 3 inconclusive, 4 tool missing, 130 interrupted).
 * Importable without side effects: `main()` runs only when this file is the entry point.
 */
import { fileURLToPath } from 'node:url';
import { realpathSync } from 'node:fs';
import { EXIT, exitForError } from './exit-codes.ts';
import { COMMANDS, commandHelp, findCommand, usage } from './commands.ts';
import { handleCrashes, handleStopSignals } from './signals.ts';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
}

const defaultIo: Io = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

export async function main(argv: string[], io: Io = defaultIo, signal?: AbortSignal): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usage());
    return name ? EXIT.pass : EXIT.input;
  }
  const cmd = findCommand(name);
  if (!cmd) {
    io.err(`scale-harness: unknown command ${JSON.stringify(name)}; commands: ${Object.keys(COMMANDS).join(', ')}`);
    return EXIT.input;
  }
  // `--help` anywhere before a `--` prints the command's flags and starts nothing.
  const flagsPart = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (flagsPart.includes('--help') || flagsPart.includes('-h')) {
    io.out(commandHelp(name, cmd));
    return EXIT.pass;
  }
  try {
    return await cmd.run(rest, io, signal);
  } catch (err) {
    const code = exitForError(err);
    const msg = err instanceof Error ? err.message : String(err);
    io.err(`scale-harness: ${msg.split('\n')[0]}`);
    if (process.env.SCALE_HARNESS_DEBUG && err instanceof Error && err.stack) io.err(err.stack);
    return code;
  }
}

function isMain(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  const stderr = (l: string) => defaultIo.err(l);
  const { controller } = handleStopSignals(stderr);
  handleCrashes(stderr);
  let settled = false;
  // A promise that never settles (a profile's top-level await) would end the process with
  // exit 0 and no word: say so and fail instead.
  process.on('beforeExit', () => {
    if (settled) return;
    stderr('scale-harness: stopped with work unfinished (a promise that never settles?); nothing was judged');
    process.exit(EXIT.inconclusive);
  });
  main(process.argv.slice(2), defaultIo, controller.signal).then((code) => {
    settled = true;
    process.exitCode = controller.signal.aborted && code !== EXIT.input ? EXIT.interrupted : code;
    // Child processes are stopped by now; don't wait on stray timers of libraries.
    setTimeout(() => process.exit(), 200).unref();
  });
}
