// A minimal authoritative DNS server on loopback UDP for tests (RFC 1035 wire format): it answers
// TXT, MX, CNAME and A questions from an in-memory zone the test controls, NXDOMAIN for names it
// does not hold and an empty NOERROR answer (NODATA) for a held name without that type. TXT
// values longer than 255 bytes are sent as several character-strings of one record, as real DNS
// servers publish 2048-bit DKIM keys. A silent server reads queries and never answers: a dead
// resolver, for timeout tests.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

export const TYPE = { A: 1, CNAME: 5, MX: 15, TXT: 16, OPT: 41 } as const;
export type RecordType = 'TXT' | 'MX' | 'CNAME' | 'A';

export type RecordData =
  | { type: 'TXT'; value: string }
  | { type: 'MX'; preference: number; exchange: string }
  | { type: 'CNAME'; target: string }
  | { type: 'A'; address: string };

export interface Question {
  id: number;
  flags: number;
  name: string;
  type: number;
  qclass: number;
  /** The largest UDP answer the client takes (EDNS0 OPT), else RFC 1035's 512 bytes. */
  udpPayloadSize: number;
}

const RCODE_NOERROR = 0;
const RCODE_FORMERR = 1;
const RCODE_NXDOMAIN = 3;
const CLASS_IN = 1;
const TTL = 60;

const normalise = (name: string) => name.toLowerCase().replace(/\.$/, '');

/** A name as length-prefixed labels ending in the root's zero byte. */
export function encodeName(name: string): Buffer {
  const labels = normalise(name).split('.').filter((label) => label.length > 0);
  const parts: Buffer[] = [];
  for (const label of labels) {
    const bytes = Buffer.from(label, 'ascii');
    if (bytes.length > 63) throw new Error(`DNS label longer than 63 bytes: ${label}`);
    parts.push(Buffer.from([bytes.length]), bytes);
  }
  parts.push(Buffer.from([0]));
  return Buffer.concat(parts);
}

/** A name read at `offset`, following compression pointers; returns where the name ended in place. */
export function decodeName(message: Buffer, offset: number): { name: string; end: number } {
  const labels: string[] = [];
  let position = offset;
  let end: number | undefined;
  for (let hops = 0; hops < 64; hops++) {
    const length = message.readUInt8(position);
    if (length === 0) return { name: labels.join('.'), end: end ?? position + 1 };
    if ((length & 0xc0) === 0xc0) {
      end ??= position + 2;
      position = message.readUInt16BE(position) & 0x3fff;
      continue;
    }
    labels.push(message.toString('ascii', position + 1, position + 1 + length));
    position += 1 + length;
  }
  throw new Error('DNS name has too many compression pointers');
}

/** The question of a query message (and its EDNS0 payload size, when it has an OPT record). */
export function parseQuery(message: Buffer): Question {
  if (message.length < 12) throw new Error('DNS message shorter than its header');
  const id = message.readUInt16BE(0);
  const flags = message.readUInt16BE(2);
  const questions = message.readUInt16BE(4);
  const additional = message.readUInt16BE(10);
  if (questions !== 1) throw new Error(`expected one question, got ${questions}`);
  const { name, end } = decodeName(message, 12);
  const type = message.readUInt16BE(end);
  const qclass = message.readUInt16BE(end + 2);
  let udpPayloadSize = 512;
  let position = end + 4;
  for (let i = 0; i < additional && position < message.length; i++) {
    const record = decodeName(message, position);
    const rrType = message.readUInt16BE(record.end);
    const rrClass = message.readUInt16BE(record.end + 2);
    const rdLength = message.readUInt16BE(record.end + 8);
    if (rrType === TYPE.OPT) udpPayloadSize = Math.max(512, rrClass);
    position = record.end + 10 + rdLength;
  }
  return { id, flags, name: normalise(name), type, qclass, udpPayloadSize };
}

/** TXT RDATA: the value cut into character-strings of at most 255 bytes, each length-prefixed. */
export function encodeTxt(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.length === 0) return Buffer.from([0]);
  const parts: Buffer[] = [];
  for (let start = 0; start < bytes.length; start += 255) {
    const chunk = bytes.subarray(start, start + 255);
    parts.push(Buffer.from([chunk.length]), chunk);
  }
  return Buffer.concat(parts);
}

function encodeData(record: RecordData): Buffer {
  switch (record.type) {
    case 'TXT':
      return encodeTxt(record.value);
    case 'MX': {
      const preference = Buffer.alloc(2);
      preference.writeUInt16BE(record.preference);
      return Buffer.concat([preference, encodeName(record.exchange)]);
    }
    case 'CNAME':
      return encodeName(record.target);
    case 'A':
      return Buffer.from(record.address.split('.').map(Number));
  }
}

/** The answer to `question`: header, the question echoed, and the answer records (names compressed to the question's). */
export function encodeResponse(question: Question, rcode: number, answers: RecordData[]): Buffer {
  const questionSection = Buffer.concat([encodeName(question.name), u16(question.type), u16(question.qclass)]);
  const records = answers.map((record) => {
    const data = encodeData(record);
    // 0xC00C: a pointer to offset 12, where the question's name starts.
    return Buffer.concat([u16(0xc00c), u16(TYPE[record.type]), u16(CLASS_IN), u32(TTL), u16(data.length), data]);
  });
  const header = (count: number, truncated: boolean) => {
    // QR (answer) | opcode copied | AA (authoritative) | TC | RD copied | rcode
    const flags = 0x8000 | (question.flags & 0x7800) | 0x0400 | (truncated ? 0x0200 : 0) | (question.flags & 0x0100) | rcode;
    return Buffer.concat([u16(question.id), u16(flags), u16(1), u16(count), u16(0), u16(0)]);
  };
  const full = Buffer.concat([header(records.length, false), questionSection, ...records]);
  if (full.length <= question.udpPayloadSize) return full;
  // Too long for the client's UDP limit: say so (TC) with no answers, as RFC 1035 4.2.1 asks.
  return Buffer.concat([header(0, true), questionSection]);
}

function formatError(message: Buffer): Buffer {
  const header = Buffer.alloc(12);
  if (message.length >= 2) message.copy(header, 0, 0, 2);
  header.writeUInt16BE(0x8000 | RCODE_FORMERR, 2);
  return header;
}

const u16 = (value: number) => {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(value);
  return buffer;
};
const u32 = (value: number) => {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
};

export interface TestDnsServer {
  port: number;
  /** host:port, as GODWIT_DNS_SERVER takes it. */
  address: string;
  /** Replaces the records of `name` of `type` (an empty list removes them). */
  set(name: string, type: RecordType, records: RecordData[]): void;
  setTxt(name: string, ...values: string[]): void;
  /** Forgets every record of `name`: it is NXDOMAIN again. */
  remove(name: string): void;
  /** While silent, queries are read and never answered, like a dead server's. */
  setSilent(silent: boolean): void;
  /** How many queries arrived (answered or not). */
  queries(): number;
  stop(): Promise<void>;
}

export async function startDnsServer(options: { silent?: boolean } = {}): Promise<TestDnsServer> {
  const zone = new Map<string, RecordData[]>();
  let received = 0;
  let silent = options.silent ?? false;
  const socket: Socket = createSocket('udp4');
  socket.on('message', (message: Buffer, peer: RemoteInfo) => {
    received++;
    if (silent) return;
    let reply: Buffer;
    try {
      const question = parseQuery(message);
      const held = zone.get(question.name);
      if (!held || held.length === 0) reply = encodeResponse(question, RCODE_NXDOMAIN, []);
      else reply = encodeResponse(question, RCODE_NOERROR, held.filter((record) => TYPE[record.type] === question.type));
    } catch {
      reply = formatError(message);
    }
    socket.send(reply, peer.port, peer.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const port = socket.address().port;
  const set = (name: string, type: RecordType, records: RecordData[]) => {
    const key = normalise(name);
    const others = (zone.get(key) ?? []).filter((record) => record.type !== type);
    zone.set(key, [...others, ...records]);
  };
  return {
    port,
    address: `127.0.0.1:${port}`,
    set,
    setTxt: (name, ...values) => set(name, 'TXT', values.map((value) => ({ type: 'TXT', value }))),
    remove(name) {
      zone.delete(normalise(name));
    },
    setSilent: (on) => {
      silent = on;
    },
    queries: () => received,
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
