/** The `newsbrief` command line: finds the command, parses its options, turns every error into one line. */
import { parseArgs } from 'node:util';
import { type CliIo, type Command, EXIT, UsageError } from './command.js';
import { issueCommand } from './commands/issue.js';
import { publishCommand } from './commands/publish.js';
import { renderCommand } from './commands/render.js';
import { reportCommand } from './commands/report.js';
import { schemaCommand } from './commands/schema.js';
import { sendCommand } from './commands/send.js';
import { statusCommand } from './commands/status.js';
import { subscribersCommand } from './commands/subscribers.js';
import { validateCommand } from './commands/validate.js';

/** Every command, in the order `--help` lists them. Add new commands here. */
export const COMMANDS: readonly Command[] = [validateCommand, renderCommand, sendCommand, publishCommand, statusCommand, issueCommand, subscribersCommand, reportCommand, schemaCommand];

const USAGE = `newsbrief: turn a brief (JSON) into one beautiful email per subscriber

Usage: newsbrief <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(12)} ${c.summary}`).join('\n')}

Run "newsbrief <command> --help" for a command's options.`;

const defaultIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  cwd: process.cwd(),
  env: process.env,
  isTty: Boolean(process.stdout.isTTY),
};

/** Runs the CLI with the given arguments; returns the exit code. Never throws. */
export async function main(argv: readonly string[], io: CliIo = defaultIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`newsbrief: unknown command "${name}" (commands: ${COMMANDS.map((c) => c.name).join(', ')}; see newsbrief --help)`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(command.help);
    return EXIT.ok;
  }
  try {
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
