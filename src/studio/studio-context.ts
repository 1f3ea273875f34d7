/** What the studio's routes work with: the watched briefs, local mode's stores, and what the studio can do. */
import type { BreakerPolicy } from '../config/breaker-policy.js';
import type { ListsConfig } from '../config/lists.js';
import type { Keyring } from '../deliver/tokens.js';
import type { BlobStore, Clock, Mailer } from '../ports.js';
import type { LocalDeps } from '../wiring/local.js';
import type { BriefCatalog } from './brief-catalog.js';
import type { ScheduledView } from './studio-pages.js';
import type { SendBriefFn } from './studio-sends.js';

/** What the studio's handler works with. */
export interface StudioContext {
  readonly catalog: BriefCatalog;
  /** Subscribers, ledger and feedback in local mode's one store. */
  readonly store: LocalDeps['store'];
  readonly blobs: BlobStore;
  readonly lists: ListsConfig;
  readonly keyring: Keyring;
  readonly clock: Clock;
  /** The embedded SES emulator's inbox viewer. */
  readonly inboxUrl: string;
  /** The `Host` values the studio answers to (see request-guard.ts). */
  readonly hosts: readonly string[];
  /** Shown on the pages: where briefs and state live. */
  readonly briefsDir: string;
  readonly stateDir: string;
  /** Sends the brief file's issue through the local pipeline (the same runner as `newsbrief send`). */
  readonly sendBrief: SendBriefFn;
  /** Issues waiting for their scheduled time, soonest first. */
  readonly scheduled?: (() => ScheduledView[]) | undefined;
  /** Cancels the schedule the brief file made; returns one line for the page. */
  readonly cancelSchedule?: ((file: string) => Promise<{ readonly cancelled: boolean; readonly message: string }>) | undefined;
  /** Sends a proof of the brief file to its list's proof recipients; returns one line for the page. */
  readonly sendProof?: ((file: string) => Promise<string>) | undefined;
  /** Mails subscribe confirmations (double opt-in); without it the studio has no subscribe form. */
  readonly mailer?: Mailer | undefined;
  /** The circuit breaker's limits before any list's own (the report pages show them; default: the built-in ones). */
  readonly breaker?: BreakerPolicy | undefined;
  /** The time zone scheduled times are shown in besides UTC (default: this machine's). */
  readonly timeZone?: string | undefined;
}
