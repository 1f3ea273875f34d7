/**
 * A tiny authoritative DNS server on loopback over UDP, for tests that look up TXT records (DMARC) through a
 * real resolver: `new Resolver().setServers([server.address])`. It answers TXT queries for the names it holds,
 * NXDOMAIN for others, NOERROR with no answer for other types, and SERVFAIL for names marked so. RFC 1035 wire format.
 */
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';

/** Per name: its TXT records, or 'SERVFAIL' to answer that. Names are matched case-insensitively, without a final dot. */
export type TxtZone = Record<string, readonly string[] | 'SERVFAIL'>;

/** A running server; `zone` may be changed between queries. */
export interface DnsServer {
  /** `127.0.0.1:<port>`, for Resolver#setServers. */
  readonly address: string;
  readonly zone: TxtZone;
  /** Names queried so far, lower case. */
  readonly queries: string[];
  stop(): Promise<void>;
}

const TYPE_TXT = 16;
const CLASS_IN = 1;
const RCODE = { ok: 0, servfail: 2, nxdomain: 3 } as const;

/** Starts the server on a free loopback port with `zone`. */
export async function startDnsServer(zone: TxtZone): Promise<DnsServer> {
  const socket = createSocket('udp4');
  const queries: string[] = [];
  const held: TxtZone = Object.fromEntries(Object.entries(zone).map(([name, value]) => [normal(name), value]));
  socket.on('message', (message, peer) => {
    const reply = answer(message, held, queries);
    if (reply) socket.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    zone: held,
    queries,
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

function answer(query: Buffer, zone: TxtZone, queries: string[]): Buffer | undefined {
  if (query.length < 12 || query.readUInt16BE(4) !== 1) return undefined; // one question, as resolvers ask
  const { name, end } = readName(query, 12);
  if (end + 4 > query.length) return undefined;
  const type = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  queries.push(name);
  const records = zone[name];
  const rcode = records === undefined ? RCODE.nxdomain : records === 'SERVFAIL' ? RCODE.servfail : RCODE.ok;
  const answers = rcode === RCODE.ok && type === TYPE_TXT ? (records as readonly string[]).map(txtAnswer) : [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0); // id
  // QR=1, opcode 0, AA=1, RD copied; RA=0; the rcode.
  header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | rcode, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  return Buffer.concat([header, question, ...answers]);
}

// An answer for the question's name (a compression pointer to offset 12) carrying one TXT record in ≤ 255-byte strings.
function txtAnswer(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const strings: Buffer[] = [];
  for (let i = 0; i < bytes.length || i === 0; i += 255) {
    const part = bytes.subarray(i, i + 255);
    strings.push(Buffer.from([part.length]), part);
  }
  const rdata = Buffer.concat(strings);
  const fixed = Buffer.alloc(12);
  fixed.writeUInt16BE(0xc00c, 0);
  fixed.writeUInt16BE(TYPE_TXT, 2);
  fixed.writeUInt16BE(CLASS_IN, 4);
  fixed.writeUInt32BE(60, 6);
  fixed.writeUInt16BE(rdata.length, 10);
  return Buffer.concat([fixed, rdata]);
}

function readName(message: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let at = offset;
  while (at < message.length && message[at]! > 0) {
    const length = message[at]!;
    labels.push(message.subarray(at + 1, at + 1 + length).toString('latin1'));
    at += 1 + length;
  }
  return { name: normal(labels.join('.')), end: at + 1 };
}

function normal(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}
