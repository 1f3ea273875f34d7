/** The shape every `newsbrief` command shares: its help, its options and a run that returns the exit code. */
import type { ParseArgsConfig } from 'node:util';

/** Where a command writes, and what it knows of its environment. Tests pass their own. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /**
   * The command's data (an exported CSV), written exactly as it is when stdout is a file or a pipe; on a
   * terminal its control characters are shown escaped like any output. Absent: `out`.
   */
  readonly data?: ((text: string) => void) | undefined;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** True when stdout is a terminal (progress bars only then). */
  readonly isTty: boolean;
}

export interface ParsedArgs {
  readonly values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  readonly positionals: string[];
}

/** A command as `newsbrief --help` lists it; its module is loaded only when the command runs. */
export interface CommandEntry {
  /** `newsbrief <name> …` */
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  load(): Promise<Command>;
}

/** What a command module exports: its help, its options and what it does. */
export interface Command {
  /** The full help text, shown by `newsbrief <name> --help`. */
  readonly help: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  run(args: ParsedArgs, io: CliIo): Promise<number>;
}

/** A mistake in how the command was called: one line, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Exit codes: 0 done, 1 refused (bad brief, failed send), 2 usage error. */
export const EXIT = { ok: 0, refused: 1, usage: 2 } as const;
