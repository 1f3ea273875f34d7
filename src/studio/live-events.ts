/**
 * Live updates for open studio pages over Server-Sent Events: a saved brief reloads its page, a send's
 * progress moves its bar. A page opened mid-send catches up with the progress so far.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SendProgress } from '../local-mode/local-runner.js';
import { SECURITY_HEADERS } from './http-respond.js';

/** A progress event as the pages receive it. */
export interface ProgressEvent extends SendProgress {
  readonly file: string;
  readonly phase: 'start' | 'progress' | 'done';
  readonly done: boolean;
  readonly summary?: string | undefined;
  readonly error?: string | undefined;
}

/** How often an idle stream gets a comment, so that nothing between closes it. */
const KEEP_ALIVE_MS = 15_000;

/** The open event streams and the latest progress of each brief. */
export class LiveEvents {
  private readonly streams = new Set<ServerResponse>();
  private readonly lastProgress = new Map<string, ProgressEvent>();

  /** Tells every open page that something changed. */
  broadcast(event: 'brief' | 'progress', data: { file: string } | ProgressEvent): void {
    if (event === 'progress') this.lastProgress.set(data.file, data as ProgressEvent);
    const chunk = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const stream of this.streams) stream.write(chunk);
  }

  /** Answers GET /events: keeps the response open and writes events to it until the page goes. */
  open(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      ...SECURITY_HEADERS,
    });
    response.write('retry: 1000\n\n');
    for (const event of this.lastProgress.values()) if (!event.done) response.write(`event: progress\ndata: ${JSON.stringify(event)}\n\n`);
    this.streams.add(response);
    const keepAlive = setInterval(() => response.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    request.on('close', () => {
      clearInterval(keepAlive);
      this.streams.delete(response);
    });
  }

  /** Ends every open stream (before the server closes). */
  closeAll(): void {
    for (const stream of this.streams) stream.end();
    this.streams.clear();
  }
}
