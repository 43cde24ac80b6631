// Fuzzing the IMAP door for a bounded time: random octets and grammar-mutated command lines,
// first fed to the wire reader in random pieces (it never throws and never holds more than a
// command line), then sent to a live session on loopback, where every command line must get
// its tagged answer (or `* BAD` when its tag itself was broken) and the server must stay up.
// The seed is printed on failure; GODWIT_FUZZ_SEED replays a run.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CommandReader } from '../../src/imap/proto/command-reader.ts';
import { makeDirectory, openTestStore, withMailboxPasswords, type TestStore } from '../helpers/smtp.ts';
import { RawImap, startTestImap } from '../helpers/imap.ts';
import { LoginThrottle } from '../../src/security/login-throttle.ts';

const SEED = Number(process.env.GODWIT_FUZZ_SEED ?? Date.now() % 2 ** 31);
const READER_MS = 1500;
const SESSION_MS = 3000;

/** mulberry32: small, seedable, good enough to pick mutations. */
function random(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n), pick: <T>(list: T[]): T => list[Math.floor(next() * list.length)] };
}
type Random = ReturnType<typeof random>;

// Command lines as clients write them, the commands built and those to come.
const TEMPLATES = [
  'CAPABILITY',
  'NOOP',
  'ID ("name" "fuzz" "version" "1.0")',
  'ID NIL',
  'ENABLE CONDSTORE QRESYNC',
  'LOGIN alice@acme.godwit.test "wrong password"',
  'AUTHENTICATE PLAIN AGFsaWNlQGFjbWUuZ29kd2l0LnRlc3QAd3Jvbmc=',
  'AUTHENTICATE PLAIN',
  'SELECT INBOX (CONDSTORE)',
  'UID FETCH 1:*,5 (FLAGS BODY.PEEK[HEADER.FIELDS (From To)]<0.100>)',
  'SEARCH CHARSET UTF-8 OR (FROM "x") (TO y) NOT SEEN',
  'STORE 1:3 +FLAGS.SILENT (\\Deleted \\Seen)',
  'LIST "" "%"',
  'STATUS "Sent Items" (MESSAGES UIDNEXT)',
];
const SPECIALS = ['(', ')', '{', '}', '[', ']', '"', '\\', '*', '%', '+', ' ', '\x00', '\x80', '\xff', '{5}', '{99999999999}', '((((((((((((((((((((', 'NIL', '1:*', ':', ','];

function mutate(r: Random, text: string): string {
  let out = text;
  for (let n = 1 + r.int(4); n > 0; n--) {
    const at = r.int(out.length + 1);
    switch (r.int(6)) {
      case 0:
        out = out.slice(0, at) + out.slice(at + 1 + r.int(4));
        break;
      case 1:
        out = out.slice(0, at) + r.pick(SPECIALS) + out.slice(at);
        break;
      case 2:
        out = out.slice(0, at) + out.slice(r.int(out.length)).slice(0, 20) + out.slice(at);
        break;
      case 3:
        out = out.slice(0, at);
        break;
      case 4:
        out = out.slice(0, at) + String.fromCharCode(r.int(256)) + out.slice(at);
        break;
      default:
        out = out.split(' ').reverse().join(' ');
    }
  }
  return out;
}

/** A line that ends cleanly: no CR/LF inside, no literal header at its end waiting for octets. */
const clean = (text: string) => {
  const line = text.replace(/[\r\n]/g, ' ');
  return /\{\d*\+?\}$/.test(line) ? `${line} x` : line;
};

interface Case {
  /** The tag, when the mutation left it whole. */
  tag: string | null;
  bytes: Buffer;
}

function makeCase(r: Random, index: number): Case {
  const kind = r.int(10);
  if (kind === 0) {
    // Garbage: random octets, no CR/LF, ended by one.
    const junk = Buffer.from(Array.from({ length: 1 + r.int(200) }, () => r.int(256)).filter((c) => c !== 0x0a && c !== 0x0d));
    return { tag: null, bytes: Buffer.concat([junk, Buffer.from('\r\n')]) };
  }
  const tag = `f${index}`;
  const body = clean(kind < 8 ? mutate(r, r.pick(TEMPLATES)) : r.pick(TEMPLATES));
  if (kind === 9) {
    // A well-formed non-synchronizing literal with any octets in it, then the rest of the line.
    const data = Buffer.from(Array.from({ length: r.int(64) }, () => r.int(256)));
    return { tag, bytes: Buffer.concat([Buffer.from(`${tag} ${body} {${data.length}+}\r\n`, 'latin1'), data, Buffer.from(` ${clean(mutate(r, 'x'))}\r\n`, 'latin1')]) };
  }
  return { tag, bytes: Buffer.from(`${tag} ${body}\r\n`, 'latin1') };
}

test(`the wire reader takes random and mutated input in random pieces without throwing or hoarding (seed ${SEED})`, (context) => {
  const r = random(SEED);
  const limits = { maxCommandBytes: 2048, maxNestingDepth: 8, maxArguments: 200, literalLimit: () => 1000 };
  const reader = new CommandReader(limits);
  const deadline = Date.now() + READER_MS;
  let events = 0;
  for (let i = 0; Date.now() < deadline; i++) {
    const input = r.int(20) === 0 ? Buffer.from(Array.from({ length: r.int(5000) }, () => r.int(256))) : makeCase(r, i).bytes;
    for (let at = 0; at < input.length; ) {
      const size = 1 + r.int(300);
      reader.push(input.subarray(at, at + size));
      at += size;
      for (let event = reader.next(); event; event = reader.next()) {
        events++;
        assert.ok(['command', 'error', 'continue', 'too-big'].includes(event.type));
        if (event.type === 'error') assert.ok(event.error.reason.length > 0);
      }
      assert.ok(reader.buffered <= limits.maxCommandBytes + 300, `reader holds ${reader.buffered} octets (seed ${SEED})`);
    }
  }
  assert.ok(events > 100);
  context.diagnostic(`${events} reader events`);
});

let t: TestStore;
let imap: Awaited<ReturnType<typeof startTestImap>>;
before(async () => {
  t = await openTestStore('sqlite');
  await withMailboxPasswords(t.store.db, await makeDirectory(t.store.db, t.box));
  imap = await startTestImap(t, { throttle: new LoginThrottle({ baseDelayMs: 1, maxDelayMs: 2, maxFailures: 1_000_000, windowMs: 60_000, maxTracked: 100 }) });
});
after(async () => {
  await imap?.close();
  await t?.close();
});

test(`a live session answers every fuzzed command and stays up (seed ${SEED})`, async (context) => {
  const r = random(SEED + 1);
  const deadline = Date.now() + SESSION_MS;
  let client = await RawImap.tls(imap.imapsPort);
  await client.line();
  let answered = 0;
  let reconnects = 0;
  for (let i = 0; Date.now() < deadline; i++) {
    const fuzz = makeCase(r, i);
    const sentinel = `z${i}`;
    client.write(fuzz.bytes);
    client.write(`${sentinel} NOOP\r\n`);
    const seen: string[] = [];
    let closed = false;
    for (;;) {
      let line: string;
      try {
        line = await client.line(5000);
      } catch (error) {
        if (!/connection closed/.test((error as Error).message)) throw new Error(`${(error as Error).message} after ${JSON.stringify(fuzz.bytes.toString('latin1'))} (seed ${SEED})`);
        closed = true;
        break;
      }
      // An AUTHENTICATE without initial response took the sentinel line as its (invalid) SASL
      // answer, as it must: the sentinel goes again.
      if (line.startsWith('+ ')) client.write(`${sentinel} NOOP\r\n`);
      if (line.startsWith(`${sentinel} `)) break;
      seen.push(line);
    }
    if (closed) {
      // Only a BYE (LOGOUT, failed logins, too many BAD) may end the session.
      assert.ok(seen.some((l) => l.startsWith('* BYE')), `closed without BYE after ${JSON.stringify(fuzz.bytes.toString('latin1'))}: ${JSON.stringify(seen)} (seed ${SEED})`);
      client = await RawImap.tls(imap.imapsPort);
      await client.line();
      reconnects++;
      continue;
    }
    if (fuzz.tag) {
      assert.ok(
        seen.some((l) => l.startsWith(`${fuzz.tag} OK`) || l.startsWith(`${fuzz.tag} NO`) || l.startsWith(`${fuzz.tag} BAD`) || l.startsWith('* BAD')),
        `no answer to ${JSON.stringify(fuzz.bytes.toString('latin1'))}: ${JSON.stringify(seen)} (seed ${SEED})`,
      );
    }
    answered++;
  }
  client.close();
  assert.ok(answered > 20, `only ${answered} commands answered`);
  // The server still greets a new client and answers it.
  const check = await RawImap.tls(imap.imapsPort);
  assert.match(await check.line(), /^\* OK /);
  assert.deepEqual(await check.command('c1', 'NOOP'), ['c1 OK NOOP completed']);
  check.close();
  context.diagnostic(`${answered} fuzzed commands answered, ${reconnects} sessions ended by BYE`);
});
