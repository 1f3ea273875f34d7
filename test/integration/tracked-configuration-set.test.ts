/**
 * SES tracks opens and clicks per configuration set, so the mailer must send a tracked issue's messages with
 * the tracked set and every other message with the plain one. The SDK talks HTTP to a recording endpoint
 * that answers SendRawEmail as SES does; the test reads the ConfigurationSetName each request carried.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SESClient } from '@aws-sdk/client-ses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SesMailer } from '../../src/adapters/aws/ses-mailer.js';
import type { OutboundMessage } from '../../src/deliver/compose-message.js';
import { useFakeAwsCredentials } from '../support/emulators.js';

let server: Server;
let ses: SESClient;
const requests: URLSearchParams[] = [];

beforeAll(async () => {
  useFakeAwsCredentials();
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      requests.push(new URLSearchParams(body));
      response.writeHead(200, { 'content-type': 'text/xml' });
      response.end(
        `<SendRawEmailResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><SendRawEmailResult><MessageId>m-${requests.length}</MessageId></SendRawEmailResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></SendRawEmailResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  ses = new SESClient({ endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, region: 'us-east-1', maxAttempts: 1 });
});
afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

const message = (tracked: boolean): OutboundMessage => ({
  from: 'weekly@news.example.com',
  to: 'reader@example.org',
  messageId: '<weekly.i.s@news.example.com>',
  raw: Buffer.from('From: weekly@news.example.com\r\nTo: reader@example.org\r\nSubject: s\r\n\r\nbody\r\n'),
  tags: { list: 'weekly', issue: 'i', delivery: 's' },
  ...(tracked ? { tracked: true } : {}),
});

describe('SesMailer and the tracked configuration set', () => {
  it('sends a tracked message with the tracked set and any other with the plain one', async () => {
    const mailer = new SesMailer(ses, 'newsbrief-plain', 'newsbrief-tracked');
    await mailer.send(message(true));
    await mailer.send(message(false));
    expect(requests.map((r) => [r.get('Action'), r.get('ConfigurationSetName')])).toEqual([
      ['SendRawEmail', 'newsbrief-tracked'],
      ['SendRawEmail', 'newsbrief-plain'],
    ]);
  });

  it('sends a tracked message with the plain set where no tracked set is configured', async () => {
    requests.length = 0;
    await new SesMailer(ses, 'newsbrief-plain').send(message(true));
    expect(requests[0]!.get('ConfigurationSetName')).toBe('newsbrief-plain');
  });
});

describe('the clicks-only configuration set', () => {
  it('sends a clicks-only message with the set that has no open pixel, and the others as before', async () => {
    requests.length = 0;
    const mailer = new SesMailer(ses, 'newsbrief-plain', 'newsbrief-tracked', 'newsbrief-clicks-only');
    await mailer.send({ ...message(true), clicksOnly: true });
    await mailer.send(message(true));
    await mailer.send(message(false));
    expect(requests.map((r) => r.get('ConfigurationSetName'))).toEqual(['newsbrief-clicks-only', 'newsbrief-tracked', 'newsbrief-plain']);
  });
});
