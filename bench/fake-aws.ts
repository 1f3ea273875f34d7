/**
 * A fake AWS endpoint over HTTP for the deployed-path bench, on one port (the SDK clients reach it through
 * AWS_ENDPOINT_URL): SES v1 SendRawEmail answering after ~130 ms under a per-second quota (a sliding
 * one-second window; beyond it `Throttling`, as SES answers) and GetSendQuota; DynamoDB (bench/fake-dynamo.ts)
 * after ~5 ms; S3 GetObject; SQS SendMessage/SendMessageBatch into a queue the bench's pollers read after each
 * message's DelaySeconds; Secrets Manager GetSecretValue. What SES accepted is kept by recipient, which is how
 * the bench counts lost and duplicate messages.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoError, FakeDynamo } from './fake-dynamo.js';

/** Latencies (ms) and the SES quota. */
export interface FakeAwsOptions {
  /** SES messages per second (the account's MaxSendRate). */
  readonly sesRate: number;
  readonly sesLatencyMs?: number;
  readonly dynamoLatencyMs?: number;
  readonly s3LatencyMs?: number;
  readonly sqsLatencyMs?: number;
  /** Tables and their key attributes. */
  readonly tables: Record<string, readonly string[]>;
  /** Secrets by id (ARN or name): their SecretString. */
  readonly secrets: Record<string, string>;
}

/** A message on the fake queue. */
export interface QueuedMessage {
  readonly messageId: string;
  readonly body: string;
  receiveCount: number;
}

/** The running endpoint and what it saw. */
export class FakeAws {
  readonly dynamo: FakeDynamo;
  /** S3 objects by `bucket/key`. */
  readonly objects = new Map<string, Buffer>();
  /** Messages visible on each queue (by queue URL). */
  readonly visible = new Map<string, QueuedMessage[]>();
  /** Messages waiting out their DelaySeconds. */
  delayed = 0;
  /** Accepted SES messages per recipient address. */
  readonly accepted = new Map<string, number>();
  /** When each SES acceptance happened (performance.now()). */
  readonly acceptedAt: number[] = [];
  throttles = 0;
  /** Requests by service. */
  readonly requests = { ses: 0, dynamodb: 0, s3: 0, sqs: 0, secrets: 0 };
  private server: Server | undefined;
  private window: number[] = [];
  private windowHead = 0;
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly options: FakeAwsOptions) {
    this.dynamo = new FakeDynamo(options.tables);
  }

  /** Listens on a free port; returns the endpoint URL. */
  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => void this.route(request, Buffer.concat(chunks), response));
    });
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Stops listening and drops pending deliveries. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Puts a message on a queue after `delaySeconds` (what SQS SendMessage does). */
  enqueue(queueUrl: string, body: string, delaySeconds = 0): void {
    const message: QueuedMessage = { messageId: randomUUID(), body, receiveCount: 0 };
    const push = () => {
      const queue = this.visible.get(queueUrl) ?? [];
      queue.push(message);
      this.visible.set(queueUrl, queue);
    };
    if (delaySeconds <= 0) {
      push();
      return;
    }
    this.delayed++;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.delayed--;
      push();
    }, delaySeconds * 1000);
    this.timers.add(timer);
  }

  /** Takes up to `max` visible messages (a poller's ReceiveMessage). */
  receive(queueUrl: string, max: number): QueuedMessage[] {
    const queue = this.visible.get(queueUrl) ?? [];
    const taken = queue.splice(0, max);
    for (const m of taken) m.receiveCount++;
    return taken;
  }

  private async route(request: IncomingMessage, body: Buffer, response: ServerResponse): Promise<void> {
    const target = String(request.headers['x-amz-target'] ?? '');
    try {
      if (target.startsWith('DynamoDB_20120810.')) {
        this.requests.dynamodb++;
        await sleep(this.options.dynamoLatencyMs ?? 5);
        return json(response, 200, this.dynamo.handle(target.slice('DynamoDB_20120810.'.length), JSON.parse(body.toString('utf8'))), '1.0');
      }
      if (target.startsWith('AmazonSQS.')) {
        this.requests.sqs++;
        await sleep(this.options.sqsLatencyMs ?? 10);
        return json(response, 200, this.sqs(target.slice('AmazonSQS.'.length), JSON.parse(body.toString('utf8'))), '1.0');
      }
      if (target.startsWith('secretsmanager.')) {
        this.requests.secrets++;
        const input = JSON.parse(body.toString('utf8')) as { SecretId: string };
        const secret = this.options.secrets[input.SecretId];
        if (secret === undefined) throw new DynamoError('ResourceNotFoundException', `no secret ${input.SecretId}`);
        return json(response, 200, { ARN: input.SecretId, Name: input.SecretId, SecretString: secret, VersionId: 'v1' }, '1.1');
      }
      if (request.method === 'POST' && String(request.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
        this.requests.ses++;
        return await this.ses(body.toString('latin1'), response);
      }
      if (request.method === 'GET') {
        this.requests.s3++;
        await sleep(this.options.s3LatencyMs ?? 20);
        const path = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname.slice(1));
        const object = this.objects.get(path);
        if (!object) {
          response.writeHead(404, { 'content-type': 'application/xml' });
          return void response.end(
            '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
          );
        }
        response.writeHead(200, {
          'content-type': 'application/json',
          'content-length': object.length,
          etag: '"bench"',
          'last-modified': new Date(0).toUTCString(),
        });
        return void response.end(object);
      }
      response.writeHead(400);
      response.end(`the bench's fake AWS does not answer ${request.method} ${request.url} ${target}`);
    } catch (error) {
      if (error instanceof DynamoError) {
        return json(
          response,
          400,
          { __type: `com.amazonaws.dynamodb.v20120810#${error.type}`, message: error.message, ...error.extra },
          target.startsWith('secretsmanager.') ? '1.1' : '1.0',
        );
      }
      response.writeHead(500);
      response.end(String(error));
    }
  }

  private sqs(operation: string, input: Record<string, any>): unknown {
    const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex');
    if (operation === 'SendMessage') {
      this.enqueue(input.QueueUrl, input.MessageBody, input.DelaySeconds ?? 0);
      return { MessageId: randomUUID(), MD5OfMessageBody: md5(input.MessageBody) };
    }
    if (operation === 'SendMessageBatch') {
      const entries = input.Entries as Array<{ Id: string; MessageBody: string; DelaySeconds?: number }>;
      for (const entry of entries) this.enqueue(input.QueueUrl, entry.MessageBody, entry.DelaySeconds ?? input.DelaySeconds ?? 0);
      return { Successful: entries.map((e) => ({ Id: e.Id, MessageId: randomUUID(), MD5OfMessageBody: md5(e.MessageBody) })), Failed: [] };
    }
    throw new DynamoError('UnsupportedOperation', `the bench's SQS does not implement ${operation}`);
  }

  // SES v1 (query protocol). Only the recipient is read out of the form: decoding 30 KB of raw message per
  // call would cost the fake more CPU than the sender under test.
  private async ses(form: string, response: ServerResponse): Promise<void> {
    const action = /(?:^|&)Action=([^&]*)/.exec(form)?.[1];
    if (action === 'GetSendQuota') {
      return xml(
        response,
        200,
        `<GetSendQuotaResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><GetSendQuotaResult><Max24HourSend>1000000000</Max24HourSend><MaxSendRate>${this.options.sesRate}</MaxSendRate><SentLast24Hours>0</SentLast24Hours></GetSendQuotaResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></GetSendQuotaResponse>`,
      );
    }
    if (action !== 'SendRawEmail') return xml(response, 400, sesError('InvalidAction', `the bench's SES does not implement ${action}`));
    const to = decodeURIComponent((/(?:^|&)Destinations\.member\.1=([^&]*)/.exec(form)?.[1] ?? '').replace(/\+/g, ' '));
    if (!to || !/(?:^|&)RawMessage\.Data=/.test(form))
      return xml(response, 400, sesError('InvalidParameterValue', 'missing destination or raw message'));
    const now = performance.now();
    // A sliding one-second window: at most `sesRate` acceptances in any 1,000 ms.
    while (this.windowHead < this.window.length && this.window[this.windowHead]! <= now - 1000) this.windowHead++;
    if (this.windowHead > 10_000) {
      this.window = this.window.slice(this.windowHead);
      this.windowHead = 0;
    }
    if (this.window.length - this.windowHead >= this.options.sesRate) {
      this.throttles++;
      await sleep(10);
      return xml(response, 400, sesError('Throttling', 'Maximum sending rate exceeded.'));
    }
    this.window.push(now);
    this.acceptedAt.push(now);
    this.accepted.set(to, (this.accepted.get(to) ?? 0) + 1);
    const latency = this.options.sesLatencyMs ?? 130;
    await sleep(latency * (0.85 + Math.random() * 0.3));
    return xml(
      response,
      200,
      `<SendRawEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendRawEmailResult><MessageId>${randomUUID()}</MessageId></SendRawEmailResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></SendRawEmailResponse>`,
    );
  }
}

function sesError(code: string, message: string): string {
  return `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`;
}

function json(response: ServerResponse, status: number, body: unknown, version: '1.0' | '1.1'): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': `application/x-amz-json-${version}`,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
  });
  response.end(text);
}

function xml(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'text/xml', 'content-length': Buffer.byteLength(body), 'x-amzn-requestid': randomUUID() });
  response.end(body);
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
