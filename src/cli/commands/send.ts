/** `newsbrief send FILE`: validate, render once and send to the brief's list through the local pipeline. */
import { basename, resolve } from 'node:path';
import { formatProblems } from '../../brief/problems.js';
import { sendBriefLocally, summarize, type SendProgress } from '../../local-mode/local-runner.js';
import { describeProof, proofBriefLocally } from '../../local-mode/proof-locally.js';
import { countdown } from '../../schedule/issue-status.js';
import { isNewStateDir, seedDemoSubscribers } from '../../local-mode/seed-demo.js';
import { findRunningStudio, type StudioFile } from '../../studio/studio.js';
import {
  createLocalDeps,
  DEFAULT_STATE_DIR,
  inboxDirOf,
  type LocalDeps,
  localRateFromEnv,
  openLocalState,
  type SesEmulator,
  startSesEmulator,
} from '../../wiring/local.js';
import { readBriefFile } from '../../wiring/local-files.js';
import { ENV } from '../../config/env-names.js';
import { type CliIo, type Command, EXIT, UsageError } from '../command.js';

/** Where unsubscribe links point when no studio is running: where `npm start` listens by default. */
const DEFAULT_STUDIO_URL = 'http://127.0.0.1:4300';

export const sendCommand: Command = {
  help: `Usage: newsbrief send FILE [--proof] [--state DIR] [--outbox DIR]

Validates the brief, renders it once and sends one personalized message to every subscribed member of
its list, through the same use-cases as the AWS pipeline with local adapters: the store in the state
folder, and the SES adapter pointed at an SES emulator. Each delivery is recorded first, so running the
same brief again sends nothing new and says so.

When a studio (npm start) is running on the same state folder, the mail goes to its local inbox and the
unsubscribe links work against it; otherwise an emulator runs for the length of this command.

With --proof, the brief goes only to its list's proofRecipients (lists configuration), with "[PROOF] "
before the subject and a banner saying it is a proof; proofs can be sent again and again and never claim
the issue, so the real send is untouched.

Options:
  --proof        send a proof to the list's proof recipients instead of the issue to its subscribers
  --state DIR    state folder: subscribers, ledger, keys (default: ${DEFAULT_STATE_DIR})
  --outbox DIR   also write each message as DIR/<list>.<issue>.<subscriber>.eml
  --lists FILE   lists configuration (default: config/lists.json of this project)
  -h, --help     show this help

Ctrl-C stops cleanly: no new message is started, those in flight are answered and recorded, and running
the command again sends the rest. Even after a kill -9, the next run finds the messages the killed run left
unanswered and sends them (a message SES took just before the kill may then arrive twice).

Environment: NEWSBRIEF_MAX_SEND_RATE messages per second (default 50); NEWSBRIEF_SES_ENDPOINT sends
through that SES endpoint (a shared emulator) instead of an embedded one.`,
  options: {
    proof: { type: 'boolean' },
    state: { type: 'string' },
    outbox: { type: 'string' },
    lists: { type: 'string' },
  },
  async run({ values, positionals }, io) {
    if (positionals.length !== 1) throw new UsageError('give exactly one brief file');
    const file = positionals[0]!;
    const stateDir = resolve(io.cwd, (values.state as string | undefined) ?? DEFAULT_STATE_DIR);
    const bytes = readBriefFile(resolve(io.cwd, file));
    const listsFile = values.lists === undefined ? undefined : resolve(io.cwd, values.lists as string);

    // Everything that can fail on a bad file (folder, keyring, lists, store) is opened before anything starts,
    // and whatever starts is closed on every path: a refused send never leaves the process running.
    const fresh = isNewStateDir(stateDir);
    const state = openLocalState({ stateDir, listsFile });
    const studio = findRunningStudio(stateDir);
    const ownEndpoint = io.env[ENV.sesEndpoint]?.trim() || undefined;
    let emulator: SesEmulator | undefined;
    let deps: LocalDeps | undefined;
    try {
      if (!studio && !ownEndpoint) emulator = await startSesEmulator({ stateDir });
      deps = createLocalDeps(
        {
          stateDir,
          sesEndpoint: ownEndpoint ?? studio?.sesEndpoint ?? emulator!.endpoint,
          publicUrl: studio?.url ?? DEFAULT_STUDIO_URL,
          listsFile,
          outboxDir: values.outbox === undefined ? undefined : resolve(io.cwd, values.outbox as string),
          ratePerSecond: localRateFromEnv(io.env),
        },
        state,
      );
      if (fresh) io.out(await seedDemoSubscribers(deps, stateDir));
      return await (values.proof === true
        ? sendProof(deps, file, bytes, studio, io)
        : sendIssue(deps, file, bytes, { stateDir, studio, outbox: values.outbox !== undefined }, io));
    } finally {
      deps?.ses.destroy();
      await emulator?.close();
    }
  },
};

async function sendProof(deps: LocalDeps, file: string, bytes: Uint8Array, studio: StudioFile | undefined, io: CliIo): Promise<number> {
  const proof = await proofBriefLocally(deps, { bytes, fileName: basename(file) });
  if (proof.status === 'refused') io.out(formatProblems(file, proof.problems));
  else
    io.out(
      `${file}: ${describeProof(proof)}${proof.status === 'sent' && studio ? `\n  in the studio's local inbox: ${studio.inboxUrl}` : ''}`,
    );
  return proof.status === 'sent' && proof.failed.length === 0 ? EXIT.ok : EXIT.refused;
}

async function sendIssue(
  deps: LocalDeps,
  file: string,
  bytes: Uint8Array,
  context: { stateDir: string; studio: StudioFile | undefined; outbox: boolean },
  io: CliIo,
): Promise<number> {
  const { stateDir, studio } = context;
  const bar = io.isTty ? progressBar() : undefined;
  // Ctrl-C or SIGTERM: take no new token, let the messages in flight be answered and recorded, then stop.
  const stop = () => deps.requestStop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    const result = await sendBriefLocally(deps, { bytes, fileName: basename(file) }, bar);
    bar?.(undefined);
    if (result.status === 'refused') {
      io.out(formatProblems(file, result.problems));
      return EXIT.refused;
    }
    const where = `${result.issue.list}/${result.issue.id}`;
    if (result.status === 'scheduled') {
      io.out(
        [
          `${file}: issue ${where} scheduled for ${result.at} (in ${countdown(Date.parse(result.at) - Date.now())})${result.replaced ? `, replacing the upload from ${result.replaced.previousSource} scheduled for ${result.replaced.previousAt} (the newest version wins)` : ''}`,
          studio
            ? '  the running studio starts it at its time'
            : `  start the studio on ${stateDir} (npm start) and keep it running: it starts the issue at its time`,
          `  newsbrief status ${result.issue.list} ${result.issue.id} shows where it stands`,
        ].join('\n'),
      );
      return EXIT.ok;
    }
    if (result.status === 'stopped') {
      const again = `  run the same command again to send the rest: whoever has it is skipped`;
      io.err(`${file}: issue ${where} stopped: ${result.reason}\n${summarize(result.progress)}\n${again}`);
      return EXIT.refused;
    }
    const p = result.progress;
    const nothingNew = result.again && p.sent === 0 && p.failed === 0;
    io.out(`${file}: issue ${where}: ${summarize(p)}${nothingNew ? ' — nothing new to send: this issue went out before' : ''}`);
    if (p.total === 0 && !result.again)
      io.out(
        `  the list ${result.issue.list} has no subscribed members: add some with newsbrief subscribers import FILE.csv --list ${result.issue.list}`,
      );
    if (p.sent > 0) {
      io.out(
        studio
          ? `  in the studio's local inbox: ${studio.inboxUrl}`
          : `  kept in the local inbox of ${stateDir} (${inboxDirOf(stateDir)}): npm start shows it${context.outbox ? '' : ' (--outbox DIR also writes each message there)'}`,
      );
    }
    return p.failed > 0 ? EXIT.refused : EXIT.ok;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

// One line redrawn in place on a terminal: [██████░░░░]  12/40 sent.
function progressBar(): (progress: SendProgress | undefined) => void {
  const width = 28;
  let drawn = false;
  return (progress) => {
    if (!progress) {
      if (drawn) process.stdout.write('\n');
      return;
    }
    const handled = progress.sent + progress.skipped + progress.failed + progress.unknown;
    const fraction = progress.total > 0 ? Math.min(1, handled / progress.total) : 0;
    const filled = Math.round(fraction * width);
    process.stdout.write(
      `\r[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(handled).padStart(String(progress.total).length)}/${progress.total}  ${progress.sent} sent, ${progress.skipped} skipped`,
    );
    drawn = true;
  };
}
