/**
 * The composition root of local mode (studio and CLI): the same use-cases as on AWS, with the embedded
 * store, blobs on disk, and the real SES adapter pointed at the embedded SES emulator. Every local client
 * and path is built here and nowhere else.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SESClient } from '@aws-sdk/client-ses';
import type { ListConfig, ListsConfig } from '../config/lists.js';
import { ENV } from '../config/env-names.js';
import type { Keyring } from '../deliver/tokens.js';
import type { Clock, Mailer, Sleeper } from '../ports.js';
import { SesMailer } from '../adapters/aws/ses-mailer.js';
import { FileBlobStore } from '../adapters/local/file-blob-store.js';
import { FileScheduler } from '../adapters/local/file-scheduler.js';
import { DEFAULT_LISTS_FILE, loadListsFile } from '../adapters/local/files.js';
import { STORE_FILE } from '../adapters/local/append-log-import.js';
import { type LocalStore, STATE_DB_FILE } from '../adapters/local/local-store.js';
import { OutboxMailer } from '../adapters/local/outbox-mailer.js';
import { TrackingMailer } from '../adapters/local/tracking-mailer.js';
import { DeliveryEventsMailer } from '../local-mode/delivery-events-mailer.js';
import { type RateLimiter, TokenBucket } from '../pipeline/rate-limiter.js';
import { systemClock } from '../adapters/system-clock.js';
import type { DeliveryPolicy } from '../pipeline/send-job.js';
import { localHolderId } from '../adapters/local/process-holder.js';
import { breakerPolicyFromEnv } from '../config/breaker-env.js';
import type { SendGateDeps } from '../feedback/send-gate.js';

import { type SesEmulator, startSesEmulator as startEmbeddedSes } from '../adapters/local/ses-emulator.js';
import { refuseForeignRequest, studioHosts } from '../studio/request-guard.js';
import { checkStateFolder, INBOX_DIR, openKeyring, openLocalStore } from './local-files.js';

// The files of local mode (state folder, lists, briefs, keys) are also wired on their own, without SES, for the CLI.
export { DEFAULT_STATE_DIR, INBOX_DIR } from './local-files.js';

/** Local sends default to a pace a person can watch in the studio; NEWSBRIEF_MAX_SEND_RATE overrides it. */
export const DEFAULT_LOCAL_RATE = 50;

/** How local mode is set up. */
export interface LocalConfig {
  /** The state folder (store, blobs, keyring). */
  readonly stateDir: string;
  /** The SES endpoint (the embedded emulator's). */
  readonly sesEndpoint: string;
  /** The studio's own URL: unsubscribe links and "view in browser" point at it. */
  readonly publicUrl: string;
  readonly listsFile?: string | undefined;
  /** Also write every sent message as an .eml file here. */
  readonly outboxDir?: string | undefined;
  readonly ratePerSecond?: number | undefined;
  /** How long one SES call may take before it is aborted and treated as unanswered (default 10 s). */
  readonly sesTimeoutMs?: number | undefined;
}

/** Everything the local runner, the studio and the CLI commands need. */
export interface LocalDeps {
  /** Subscribers and ledger in one embedded store; also given as the two ports the use-cases take. */
  readonly store: LocalStore;
  readonly subscribers: LocalStore;
  readonly ledger: LocalStore;
  readonly blobs: FileBlobStore;
  readonly mailer: Mailer;
  readonly lists: ListsConfig;
  readonly keyring: Keyring;
  readonly clock: Clock;
  readonly sleeper: Sleeper;
  readonly limiter: RateLimiter;
  readonly ses: SESClient;
  /** The circuit breaker over the local store (limits from NEWSBRIEF_MAX_BOUNCE_RATE etc. or the lists file). */
  readonly gate: SendGateDeps;
  /** Schedules of scheduled issues, as files in the state folder; the studio's timer starts the due ones. */
  readonly scheduler: FileScheduler;
  /** This process, as the holder of its delivery claims. */
  readonly holder: string;
  readonly policy: Partial<DeliveryPolicy>;
  /** Messages in flight at once: what a kill -9 can leave unanswered, and so re-sent (see LOCAL_PARALLELISM). */
  readonly parallelism: number;
  /** Whether a stop was asked for; see requestStop. */
  readonly stop: { readonly requested: boolean };
  /** Ctrl-C / SIGTERM: sends take no new token, record what is in flight, and stop. */
  requestStop(): void;
}

/**
 * Local deliveries: a killed process's claims are resolved at once (its pid is gone), the lease only
 * covers a process this one cannot see; no SES events come, so an unanswered send is sent again at once.
 */
export const LOCAL_DELIVERY_POLICY: Partial<DeliveryPolicy> = { leaseMs: 60_000, unknownGraceMs: 0, callBudgetMs: 0, pauseRetryMs: 60_000 };

/**
 * Two messages in flight: the embedded emulator answers in milliseconds, so two keep any local pace, and a
 * kill -9 can leave at most two messages that SES took but the ledger never heard of (re-sent by the next run).
 */
export const LOCAL_PARALLELISM = 2;

/** The local SES client's limits: a hung call ends (and is retried) instead of holding a send for ever. */
const SES_TIMEOUTS = { connectionTimeout: 2_000, requestTimeout: 10_000, throwOnRequestTimeout: true } as const;

/** Reads local configuration from the environment, once. */
export function localRateFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const value = env[ENV.maxSendRate];
  if (value === undefined || value === '') return undefined;
  const rate = Number(value);
  if (!(rate > 0)) throw new Error(`${ENV.maxSendRate} must be a positive number of messages per second, got "${value}"`);
  return rate;
}

/** Whether local mode's store exists in `stateDir` (the folder was used before, by this version or an older one). */
export function hasLocalStore(stateDir: string): boolean {
  return existsSync(join(stateDir, STATE_DB_FILE)) || existsSync(join(stateDir, STORE_FILE));
}

/** The state folder opened and checked: everything of local mode that can fail on a bad file, and nothing that runs. */
export interface LocalState {
  readonly stateDir: string;
  readonly store: LocalStore;
  readonly keyring: Keyring;
  /** The lists as configured (createLocalDeps points their links at the studio). */
  readonly lists: ListsConfig;
}

/**
 * Opens the state folder: checks it is writable, loads the keyring (never silently replaced), the lists and
 * the store. Call it before starting anything (an emulator, a server) so that a bad file fails with nothing
 * to close; pass the result to createLocalDeps.
 */
export function openLocalState(config: Pick<LocalConfig, 'stateDir' | 'listsFile'>): LocalState {
  const stateDir = resolve(config.stateDir);
  checkStateFolder(stateDir);
  const lists = loadListsFile(config.listsFile ?? DEFAULT_LISTS_FILE);
  const keyring = openKeyring(stateDir);
  return { stateDir, lists, keyring, store: openLocalStore(stateDir) };
}

/** Where the embedded SES keeps the messages of a state folder's local inbox. */
export function inboxDirOf(stateDir: string): string {
  return join(resolve(stateDir), INBOX_DIR);
}

/** Builds local mode's adapters, over the state opened by openLocalState (opened here when not given). */
export function createLocalDeps(config: LocalConfig, state: LocalState = openLocalState(config)): LocalDeps {
  const stateDir = state.stateDir;
  const lists = localLists(state.lists, config.publicUrl);
  const ses = new SESClient({
    endpoint: config.sesEndpoint,
    region: 'us-east-1',
    // The emulator wants some credentials and checks none; these keep the SDK from looking for real ones.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // As on AWS: a retried timeout could send twice; retries belong to the send job, which knows the claim.
    maxAttempts: 1,
    requestHandler: { ...SES_TIMEOUTS, ...(config.sesTimeoutMs !== undefined ? { requestTimeout: config.sesTimeoutMs } : {}) },
  });
  const sesMailer = new SesMailer(ses, undefined);
  const store = state.store;
  const breaker = breakerPolicyFromEnv(process.env);
  const stop = { requested: false };
  return {
    store,
    subscribers: store,
    ledger: store,
    blobs: new FileBlobStore(join(stateDir, 'blobs')),
    // Lists that track get the studio's pixel and tracked links, as SES's tracked configuration set adds its own on AWS;
    // every message the embedded SES took is counted delivered through the feedback code, as SES's Delivery event is.
    mailer: new DeliveryEventsMailer(
      new TrackingMailer(
        config.outboxDir ? new OutboxMailer(sesMailer, resolve(config.outboxDir)) : sesMailer,
        lists,
        state.keyring,
        config.publicUrl,
        systemClock,
      ),
      { subscribers: store, ledger: store, feedback: store, lists, clock: systemClock, breaker, confirmations: store },
      (error) => console.error(`newsbrief: a local delivery was not counted: ${error.message}`),
    ),
    lists,
    keyring: state.keyring,
    clock: systemClock,
    sleeper: systemClock,
    limiter: new TokenBucket({ ratePerSecond: config.ratePerSecond ?? DEFAULT_LOCAL_RATE, burst: 5 }, systemClock, systemClock),
    ses,
    gate: { ledger: store, feedback: store, lists, clock: systemClock, breaker },
    scheduler: new FileScheduler(join(stateDir, 'schedules')),
    holder: localHolderId(),
    policy: LOCAL_DELIVERY_POLICY,
    parallelism: LOCAL_PARALLELISM,
    stop,
    requestStop: () => {
      stop.requested = true;
    },
  };
}

/**
 * The configured lists with their links pointed at the studio: locally, unsubscribing and "view in
 * browser" must work against the local store, not the production site. The mailto goes (it reaches nobody).
 */
export function localLists(lists: ListsConfig, publicUrl: string): ListsConfig {
  const base = publicUrl.replace(/\/+$/, '');
  const local = new Map<string, ListConfig>();
  for (const [id, list] of lists.lists) {
    local.set(id, {
      ...list,
      unsubscribeBaseUrl: `${base}/unsubscribe`,
      archiveBaseUrl: `${base}/archive`,
      // The archive's "Subscribe" link leads to the studio's own double opt-in form.
      archiveSubscribeUrl: `${base}/subscribe?list=${encodeURIComponent(id)}`,
      confirmBaseUrl: `${base}/confirm`,
      unsubscribeMailto: undefined,
    });
  }
  return { lists: local };
}

/** The local inbox's port when none is configured: next to the studio's 4300, the same at every start. */
export const DEFAULT_INBOX_PORT = 4301;

/**
 * Starts the embedded SES and its local inbox. Requests are held to the studio's rule (its request guard): only
 * this address, localhost and 127.0.0.1 by Host, so that a web page cannot read local mail through DNS
 * rebinding. With a state folder, every message is kept in its inbox folder and shown again after a restart.
 */
export function startSesEmulator(
  options: { port?: number | undefined; host?: string | undefined; stateDir?: string | undefined } = {},
): Promise<SesEmulator> {
  const host = options.host ?? '127.0.0.1';
  return startEmbeddedSes({
    host,
    port: options.port,
    inboxDir: options.stateDir === undefined ? undefined : inboxDirOf(options.stateDir),
    guard: (request, port) => refuseForeignRequest(request, studioHosts(port, host)),
  });
}

// The studio (src/studio) reaches the embedded SES only through this module.
export type { SesEmulator } from '../adapters/local/ses-emulator.js';
