/**
 * The studio: the embedded SES emulator, the local adapters, the watched briefs folder and the preview
 * server, started together and stopped together. `npm start` runs it through studio-main.ts; tests start
 * it in-process on free ports with temporary folders.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { createLocalDeps, type LocalDeps, openLocalState, startSesEmulator } from '../wiring/local.js';
import { readBriefFile } from '../wiring/local-files.js';
import { PREFIX } from '../config/bucket-layout.js';
import { cancelScheduledBrief } from '../schedule/schedule-issue.js';
import { BriefCatalog } from './brief-catalog.js';
import { buildPreview } from './build-preview.js';
import { sendBriefLocally } from '../local-mode/local-runner.js';
import { describeProof, proofBriefLocally } from '../local-mode/proof-locally.js';
import { startDueLocally } from '../local-mode/scheduled-locally.js';
import { isNewStateDir, seedDemoSubscribers } from '../local-mode/seed-demo.js';
import { studioHosts } from './request-guard.js';
import { createStudioHandler } from './studio-server.js';
import { removeStudioFile, writeStudioFile } from './studio-file.js';

export { findRunningStudio, type StudioFile } from './studio-file.js';

/** How to start the studio. */
export interface StudioOptions {
  readonly briefsDir: string;
  readonly stateDir: string;
  /** 0: any free port. When the port is taken, a free one is used instead. */
  readonly port?: number | undefined;
  /** The address to listen on (default 127.0.0.1); besides localhost, 127.0.0.1 and [::1] it is the one Host the studio answers to. */
  readonly host?: string | undefined;
  readonly listsFile?: string | undefined;
  /** Subscribers imported into every list when the state folder is new (default: the demo CSV); null: none. */
  readonly seedCsv?: string | null;
  readonly ratePerSecond?: number | undefined;
  /** The local inbox's port (0 or absent: any free port; npm start uses 4301). Taken: a free one, with a note. */
  readonly inboxPort?: number | undefined;
}

/** A running studio. */
export interface Studio {
  readonly url: string;
  readonly inboxUrl: string;
  readonly sesEndpoint: string;
  readonly deps: LocalDeps;
  /** Lines worth printing about the first start (the demo seed). */
  readonly notes: readonly string[];
  close(): Promise<void>;
}

/** Starts everything; resolves once the studio answers. */
export async function startStudio(options: StudioOptions): Promise<Studio> {
  const stateDir = resolve(options.stateDir);
  const host = options.host ?? '127.0.0.1';
  // The state folder is opened and checked before anything starts: a corrupt database, keyring or lists file
  // fails here with nothing to close, instead of leaving the emulator running.
  const fresh = isNewStateDir(stateDir);
  const state = openLocalState({ stateDir, listsFile: options.listsFile });
  const emulator = await startSesEmulator({ host, port: options.inboxPort, stateDir });
  const server = createServer();
  try {
    await listen(server, options.port ?? 4300, host);
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `http://${host}:${port}`;

  const deps = createLocalDeps(
    {
      stateDir,
      sesEndpoint: emulator.endpoint,
      publicUrl: url,
      listsFile: options.listsFile,
      ratePerSecond: options.ratePerSecond,
    },
    state,
  );
  const notes = [
    ...emulator.notes,
    ...(fresh && options.seedCsv !== null ? [await seedDemoSubscribers(deps, stateDir, options.seedCsv)] : []),
  ];
  const briefsDir = resolve(options.briefsDir);
  const catalog = new BriefCatalog(briefsDir, (bytes, file) =>
    buildPreview(bytes, file, { lists: deps.lists, keyring: deps.keyring, now: () => new Date(deps.clock.now()) }),
  );
  const scheduleDeps = { blobs: deps.blobs, ledger: deps.ledger, scheduler: deps.scheduler, clock: deps.clock };
  const handler = createStudioHandler({
    catalog,
    store: deps.store,
    blobs: deps.blobs,
    lists: deps.lists,
    keyring: deps.keyring,
    clock: deps.clock,
    inboxUrl: emulator.inboxUrl,
    hosts: studioHosts(port, host),
    briefsDir: options.briefsDir,
    stateDir: options.stateDir,
    // Read from disk at send time, exactly as `newsbrief send` would.
    sendBrief: (file, onProgress) => sendBriefLocally(deps, { bytes: readBriefFile(join(briefsDir, file)), fileName: file }, onProgress),
    mailer: deps.mailer,
    breaker: deps.gate.breaker,
    scheduled: () =>
      deps.scheduler
        .pending()
        .map((s) => ({ list: s.message.issue.list, id: s.message.issue.id, at: s.at, inMs: Date.parse(s.at) - deps.clock.now() })),
    // The schedule the brief file made, here or by `newsbrief send` (both upload it as briefs/<file name>).
    cancelSchedule: async (file) => {
      const result = await cancelScheduledBrief(scheduleDeps, `${PREFIX.briefs}${file}`);
      if (result.status === 'cancelled') {
        handler.broadcast('brief', { file }); // open pages drop it from "Scheduled"
        return { cancelled: true, message: `Cancelled the schedule for ${result.at}: nothing goes out then.` };
      }
      if (result.status === 'already-started')
        return { cancelled: false, message: 'This issue has started already; pause or cancel the issue instead.' };
      return { cancelled: false, message: `${file} has no schedule of its own (a newer upload of its issue may own it).` };
    },
    sendProof: async (file) =>
      describeProof(await proofBriefLocally(deps, { bytes: readBriefFile(join(briefsDir, file)), fileName: file })),
  });
  catalog.on('change', (file) => handler.broadcast('brief', { file }));
  // The local stand-in for EventBridge Scheduler: each second, start what is due (made here or by `newsbrief send`).
  let ticking: Promise<unknown> | undefined;
  const timer = setInterval(() => {
    ticking ??= startDueLocally(deps)
      // Open pages refresh: the index drops the started issue from "Scheduled" and shows it sent.
      .then((runs) => {
        for (const run of runs) handler.broadcast('brief', { file: `${run.issue.list}/${run.issue.id}` });
      })
      .catch((error: unknown) => console.error(`newsbrief studio: a scheduled start failed: ${(error as Error).message}`))
      .finally(() => (ticking = undefined));
  }, 1000);
  timer.unref();
  catalog.on('error', () => {});
  await catalog.start();
  server.on('request', (request, response) => handler.handle(request, response));
  writeStudioFile(stateDir, { pid: process.pid, url, sesEndpoint: emulator.endpoint, inboxUrl: emulator.inboxUrl });

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      catalog.close();
      clearInterval(timer);
      await ticking;
      // A send in progress takes no new token; the messages in flight are answered (or time out) and recorded,
      // so no claim is left open. The next send or studio run sends the rest.
      deps.requestStop();
      await Promise.allSettled(handler.running());
      handler.closeStreams();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      deps.ses.destroy();
      await emulator.close();
      removeStudioFile(stateDir);
    })());

  return { url, inboxUrl: emulator.inboxUrl, sesEndpoint: emulator.endpoint, deps, notes, close };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' && port !== 0) {
        // Another studio (or anything else) has the port: take any free one and say so in the printed URL.
        server.off('error', onError);
        listen(server, 0, host).then(resolvePromise, reject);
      } else reject(error);
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolvePromise();
    });
  });
}
