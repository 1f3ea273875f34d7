/**
 * Emulators for integration tests, each on a free port so that test files can run in parallel:
 * s3rver (S3), dynalite (DynamoDB), aws-ses-v2-local (SES) in-process; moto_server (SQS, Secrets Manager,
 * SES that refuses unverified senders, S3 → SQS notifications) as a child process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo, Server } from 'node:net';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { patience } from './patience.js';
import { toolPath } from './test-tools.js';

const require = createRequire(import.meta.url);

/** A running emulator. */
export interface Emulator {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Fake credentials and region, set in-process so that nothing can reach real AWS. */
export function useFakeAwsCredentials(): void {
  // s3rver checks signatures against its fixed S3RVER/S3RVER pair; the other emulators accept any key.
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_DEFAULT_REGION = 'us-east-1';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  process.env.POWERTOOLS_LOG_LEVEL = process.env.NEWSBRIEF_TEST_LOG_LEVEL ?? 'SILENT';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
    server.close(() => resolve());
  });
}

/** s3rver on a temporary folder, with the given buckets. */
export async function startS3rver(buckets: readonly string[]): Promise<Emulator> {
  const S3rver = require('s3rver') as new (options: object) => { run(): Promise<AddressInfo>; close(): Promise<void> };
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** dynalite in memory; tables are created by the test. */
export async function startDynalite(): Promise<Emulator> {
  const dynalite = require('dynalite') as (options: object) => Server;
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => closeServer(server) };
}

/** aws-ses-v2-local; sent mail at GET /store. Its store is module-global: one per test file (vitest isolates files). */
export async function startSesLocal(): Promise<
  Emulator & { emails(): Promise<Array<{ destination: { to: string[] }; subject: string }>> }
> {
  const mod = require('aws-ses-v2-local') as { default?: (config: object) => Promise<Server> };
  const start = (mod.default ?? mod) as (config: object) => Promise<Server>;
  const server = await start({ port: 0, host: '127.0.0.1' });
  // Node closes a keep-alive connection after 5 s idle; on a busy machine the SDK can write a request into one
  // just being closed, and that reset makes a send's outcome unknown (it waits for a Send event nobody feeds
  // here). Idle connections stay open instead; stop() closes them.
  (server as import('node:http').Server).keepAliveTimeout = 0;
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    stop: () => closeServer(server),
    async emails() {
      const store = (await (await fetch(`${endpoint}/store`)).json()) as {
        emails: Array<{ destination: { to: string[] }; subject: string }>;
      };
      return store.emails;
    },
  };
}

/** How many messages each recipient got for a subject, from an emulator's parsed mail. */
export function countBySubject(
  emails: ReadonlyArray<{ destination: { to: string[] }; subject: string }>,
  subject: string,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const email of emails) {
    if (email.subject !== subject) continue;
    for (const to of email.destination.to) {
      const address = /<([^>]+)>/.exec(to)?.[1] ?? to;
      counts.set(address, (counts.get(address) ?? 0) + 1);
    }
  }
  return counts;
}

// moto_server serves requests on threads, but its backends are not thread-safe: TransactWriteItems deep-copies a
// table that another request is writing ("dictionary changed size during iteration"), answers 500 with an HTML
// page the SDK cannot parse and so does not retry, and a send whose ledger write failed that way counts as an
// unknown outcome (resent: a duplicate). On a busy machine this happened ~200 times in one fault suite. One
// request at a time is what DynamoDB's transactions promise anyway; no test long-polls moto.
const SERIAL_MOTO = [
  'import sys, werkzeug.serving as serving',
  'run_simple = serving.run_simple',
  "serving.run_simple = lambda *args, **kwargs: run_simple(*args, **{**kwargs, 'threaded': False})",
  'from moto.server import main',
  'main(sys.argv[1:])',
].join('\n');

/** The interpreter (and its arguments) on a Python console script's #! line. */
function interpreterOf(script: string): string[] {
  const first = readFileSync(script, 'utf8').slice(0, 512).split('\n')[0]!;
  if (!first.startsWith('#!')) throw new Error(`${script} is not a Python script with a #! line`);
  return first.slice(2).trim().split(/\s+/);
}

/**
 * moto_server (the one the test setup found or installed, see test-tools.ts) as a child process on a free
 * port; resolves once it answers. Its log goes to a file, quoted when it fails to come up.
 */
export async function startMoto(
  options: {
    /** Python run before moto starts, e.g. to patch a model moto cannot configure through its API (tests say why). */
    prelude?: string;
  } = {},
): Promise<Emulator & { data(): Promise<Record<string, unknown>> }> {
  const port = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 'moto-'));
  const logFile = join(directory, 'moto_server.log');
  const log = openSync(logFile, 'w');
  const [python, ...pythonArgs] = interpreterOf(toolPath('moto_server'));
  const script = options.prelude ? `${options.prelude}\n${SERIAL_MOTO}` : SERIAL_MOTO;
  const child: ChildProcess = spawn(python!, [...pythonArgs, '-c', script, '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const endpoint = `http://127.0.0.1:${port}`;
  const failed = (why: string) => {
    child.kill();
    const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-5).join('\n');
    rmSync(directory, { recursive: true, force: true });
    return new Error(`moto_server ${why}${tail ? `:\n${tail}` : ''}`);
  };
  // Idle, moto is up in about a second; importing it is CPU-bound, so a busy machine gets proportionally longer.
  const limitMs = patience(60_000);
  const started = Date.now();
  for (;;) {
    if (spawnError) throw failed(`could not be started (${spawnError.message})`);
    if (child.exitCode !== null) throw failed(`exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${endpoint}/moto-api/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > limitMs) throw failed(`did not answer within ${Math.round(limitMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    endpoint,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(directory, { recursive: true, force: true });
    },
    async data() {
      return (await (await fetch(`${endpoint}/moto-api/data.json`)).json()) as Record<string, unknown>;
    },
  };
}
