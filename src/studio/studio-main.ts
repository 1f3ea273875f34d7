/** `npm start`: the studio with the repository's briefs/ folder and .newsbrief/ state; stops cleanly on Ctrl-C. */
import { ENV } from '../config/env-names.js';
import { DEFAULT_INBOX_PORT, DEFAULT_LOCAL_RATE, localRateFromEnv } from '../wiring/local.js';
import { startStudio } from './studio.js';

const port = process.env.PORT ? Number(process.env.PORT) : 4300;
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`newsbrief studio: PORT must be a port number, got "${process.env.PORT}"`);
  process.exit(2);
}

const inboxPort = process.env.NEWSBRIEF_INBOX_PORT ? Number(process.env.NEWSBRIEF_INBOX_PORT) : DEFAULT_INBOX_PORT;
if (!Number.isInteger(inboxPort) || inboxPort < 0 || inboxPort > 65535) {
  console.error(`newsbrief studio: NEWSBRIEF_INBOX_PORT must be a port number, got "${process.env.NEWSBRIEF_INBOX_PORT}"`);
  process.exit(2);
}

const briefsDir = process.env.NEWSBRIEF_BRIEFS_DIR ?? 'briefs';
const stateDir = process.env.NEWSBRIEF_STATE_DIR ?? '.newsbrief';

try {
  const studio = await startStudio({
    briefsDir,
    stateDir,
    port,
    inboxPort,
    ratePerSecond: localRateFromEnv(process.env),
  });
  const lines = [
    // performance.now() counts from process start: the time includes loading MJML and the SDK.
    `newsbrief studio is running (ready in ${(performance.now() / 1000).toFixed(1)} s)`,
    '',
    `  Studio         ${studio.url}/`,
    `  Local inbox    ${studio.inboxUrl}   (every message sent locally, newest first; kept in ${stateDir}/inbox/, NEWSBRIEF_INBOX_PORT moves it)`,
    `  Subscribers    ${studio.url}/subscribers`,
    '',
    `  Watching ${briefsDir}/ — save a brief and its preview updates. State is kept in ${stateDir}/.`,
    ...studio.notes.map((note) => `  ${note}`),
    `  Sends go at ${process.env[ENV.maxSendRate] ?? DEFAULT_LOCAL_RATE} messages/s (${ENV.maxSendRate} changes it). Press Ctrl-C to stop.`,
  ];
  console.log(lines.join('\n'));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the studio…`);
    studio.close().then(
      () => {
        console.log(`stopped; state saved in ${stateDir}/`);
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`newsbrief studio: could not stop cleanly: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  console.error(`newsbrief studio: ${(error as Error).message}`);
  process.exit(1);
}
