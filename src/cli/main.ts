/** The `newsbrief` command line: finds the command, parses its options, turns every error into one line. */
import { parseArgs } from 'node:util';
import { type CliIo, type CommandEntry, EXIT, UsageError } from './command.js';
import { printable, printableData } from './printable.js';

/**
 * Every command, in the order `--help` lists them. Each is loaded only when it runs (or shows its help): the
 * list itself imports nothing, so `newsbrief --help` starts as fast as node does, and a command pays only for
 * the modules it uses (mjml, the AWS SDK). Add new commands here.
 */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'validate',
    summary: 'check briefs against the format; report every problem with its JSON Pointer',
    load: async () => (await import('./commands/validate.js')).validateCommand,
  },
  {
    name: 'render',
    summary: 'render a brief to DIR/<id>.html, .txt and .eml (the message as SES would get it)',
    load: async () => (await import('./commands/render.js')).renderCommand,
  },
  {
    name: 'send',
    summary: 'send a brief to its list through the local pipeline (embedded store and SES emulator)',
    load: async () => (await import('./commands/send.js')).sendCommand,
  },
  {
    name: 'publish',
    summary: 'validate a brief, then upload it to the deployed briefs bucket (which sends it)',
    load: async () => (await import('./commands/publish.js')).publishCommand,
  },
  {
    name: 'status',
    summary: 'show whether an issue is scheduled, cancelled, missed, sending or sent, with its times',
    load: async () => (await import('./commands/status.js')).statusCommand,
  },
  {
    name: 'issue',
    summary: "pause, resume or cancel an issue's sending",
    load: async () => (await import('./commands/issue.js')).issueCommand,
  },
  {
    name: 'subscribers',
    summary: 'import subscribers from CSV into a list, or export a list as CSV',
    load: async () => (await import('./commands/subscribers.js')).subscribersCommand,
  },
  {
    name: 'breaker',
    summary: "show each list's confirmation breaker, or reset it (reset-confirmations LIST) once the cause is dealt with",
    load: async () => (await import('./commands/breaker.js')).breakerCommand,
  },
  {
    name: 'lists',
    summary: 'put, list, show or remove lists: the local lists file, or the deployed lists table (--stack)',
    load: async () => (await import('./commands/lists.js')).listsCommand,
  },
  {
    name: 'report',
    summary: "show an issue's report: planned, sent, failed, suppressed, delivered, bounced, complained, breaker",
    load: async () => (await import('./commands/report.js')).reportCommand,
  },
  {
    name: 'doctor',
    summary: 'check the SES identity, DKIM, MAIL FROM, DMARC, sandbox, quota, configuration set, lists and keyring before sending',
    load: async () => (await import('./commands/doctor.js')).doctorCommand,
  },
  {
    name: 'keys',
    summary: 'show or rotate the local signing keys of unsubscribe links (a new key id, old ones kept)',
    load: async () => (await import('./commands/keys.js')).keysCommand,
  },
  {
    name: 'schema',
    summary: 'print the brief format as JSON Schema (draft 2020-12)',
    load: async () => (await import('./commands/schema.js')).schemaCommand,
  },
];

const USAGE = `newsbrief: turn a brief (JSON) into one beautiful email per subscriber

Usage: newsbrief <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`).join('\n')}

Run "newsbrief <command> --help" for a command's options.`;

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  data: (text) => process.stdout.write(text),
  cwd: process.cwd(),
  env: process.env,
  isTty: Boolean(process.stdout.isTTY),
};

/**
 * Runs the CLI with the given arguments; returns the exit code. Never throws. Every line printed goes through
 * `printable` here, once: text from a CSV, a brief or a file name cannot send escape sequences to the terminal.
 */
export async function main(argv: readonly string[], given: CliIo = defaultIo): Promise<number> {
  const io: CliIo = {
    ...given,
    out: (text) => given.out(printable(text)),
    err: (text) => given.err(printable(text)),
    data: (text) => {
      const shown = given.isTty ? printableData(text) : text;
      if (given.data) given.data(shown);
      else given.out(shown.replace(/\r?\n$/, ''));
    },
  };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    io.err(`newsbrief: unknown command "${name}" (commands: ${COMMANDS.map((c) => c.name).join(', ')}; see newsbrief --help)`);
    return EXIT.usage;
  }
  try {
    const command = await entry.load();
    if (rest.includes('--help') || rest.includes('-h')) {
      io.out(command.help);
      return EXIT.ok;
    }
    const { values, positionals } = parseArgs({ args: [...rest], options: command.options, allowPositionals: true, strict: true });
    return await command.run({ values, positionals }, io);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    io.err(`newsbrief ${name}: ${oneLine(message)}${usage ? ` (see newsbrief ${name} --help)` : ''}`);
    if (io.env.NEWSBRIEF_DEBUG) io.err(String((error as Error).stack));
    return usage ? EXIT.usage : EXIT.refused;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}
