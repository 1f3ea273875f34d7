/**
 * The embedded SES: `aws-ses-v2-local` started in this process, so that local mode sends through the real
 * SES adapter and SDK over HTTP, and its inbox viewer shows what went out. Wrapped here once: it is
 * CommonJS, keeps mail in a module-wide array (one inbox per process, emptied on restart) and has no close.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sesLocal from 'aws-ses-v2-local';

/** One message as the emulator parsed it (custom headers are not kept; the raw .eml is in the outbox). */
export interface EmulatedEmail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { readonly to: readonly string[] };
  readonly subject: string;
  readonly body: { readonly html?: string; readonly text?: string };
  readonly at: number;
}

/** A running emulator. */
export interface SesEmulator {
  /** The SES endpoint for the SDK (`endpoint` of SESClient). */
  readonly endpoint: string;
  /** The inbox viewer, for people. */
  readonly inboxUrl: string;
  /** Everything sent since the process started. */
  sent(): Promise<EmulatedEmail[]>;
  close(): Promise<void>;
}

type StartFn = (config?: { host?: string; port?: number }) => Promise<Server>;

/** Starts the emulator on `port` (0: any free port) of the loopback interface. */
export async function startSesEmulator(options: { port?: number; host?: string } = {}): Promise<SesEmulator> {
  const module = sesLocal as unknown as StartFn | { default: StartFn };
  const start = typeof module === 'function' ? module : module.default;
  const host = options.host ?? '127.0.0.1';
  const server = await start({ host, port: options.port ?? 0 });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://${host}:${port}`;
  return {
    endpoint,
    inboxUrl: `${endpoint}/`,
    async sent() {
      const response = await fetch(`${endpoint}/store`);
      if (!response.ok) throw new Error(`the SES emulator answered ${response.status} for /store`);
      return ((await response.json()) as { emails: EmulatedEmail[] }).emails;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets from the SDK would hold close() open for minutes.
        server.closeAllConnections();
      }),
  };
}
