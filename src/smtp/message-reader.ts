// Reads one message from smtp-server's DATA stream (dot-unstuffed, terminator removed) with a
// hard bound: past the size limit, or once the data is known to be refused, the rest is read
// and dropped, never buffered. It also finds what makes the message unacceptable as it goes:
// a bare CR or LF (smtp-server ends DATA only on <CRLF>.<CRLF>, but passes bare line endings
// on; a message carrying them is what SMTP smuggling relies on downstream), and a header block
// over its limit.
import type { Readable } from 'node:stream';

export type ReadProblem = 'tooBig' | 'bareLineEnding' | 'headerTooBig';

export type ReadMessage = { ok: true; raw: Buffer } | { ok: false; problem: ReadProblem; bytes: number };

const CR = 0x0d;
const LF = 0x0a;

export class LineEndingCheck {
  private lastWasCr = false;
  bad = false;

  /** Feeds the next chunk; sets `bad` at the first CR not followed by LF or LF not preceded by CR. */
  feed(chunk: Buffer): void {
    if (this.bad || chunk.length === 0) return;
    if (this.lastWasCr && chunk[0] !== LF) return this.fail();
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) {
      const before = i === 0 ? this.lastWasCr : chunk[i - 1] === CR;
      if (!before) return this.fail();
    }
    for (let i = chunk.indexOf(CR); i !== -1; i = chunk.indexOf(CR, i + 1)) {
      if (i === chunk.length - 1) break;
      if (chunk[i + 1] !== LF) return this.fail();
    }
    this.lastWasCr = chunk[chunk.length - 1] === CR;
  }

  /** At the end of the data, a dangling CR is bare too. */
  end(): void {
    if (this.lastWasCr) this.fail();
  }

  private fail(): void {
    this.bad = true;
  }
}

/** Finds the end of the header block (the first empty line) across chunks. */
class HeaderEnd {
  bytes = 0;
  found = false;
  private tail = Buffer.alloc(0);

  feed(chunk: Buffer): void {
    if (this.found) return;
    const joined = Buffer.concat([this.tail, chunk]);
    // A message may start with its empty line (no header at all).
    const atStart = this.bytes === 0 && joined.subarray(0, 2).equals(Buffer.from('\r\n'));
    const at = atStart ? 0 : joined.indexOf('\r\n\r\n');
    if (at !== -1) {
      this.found = true;
      this.bytes += at - this.tail.length + (atStart ? 0 : 2);
      return;
    }
    this.bytes += chunk.length;
    this.tail = joined.subarray(Math.max(0, joined.length - 3));
  }
}

export function readMessage(stream: Readable & { sizeExceeded?: boolean }, limits: { maxMessageBytes: number; maxHeaderBytes: number }): Promise<ReadMessage> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let problem: ReadProblem | undefined;
    const lineEndings = new LineEndingCheck();
    const header = new HeaderEnd();
    stream.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (problem) return;
      if (bytes > limits.maxMessageBytes) problem = 'tooBig';
      else {
        lineEndings.feed(chunk);
        header.feed(chunk);
        if (lineEndings.bad) problem = 'bareLineEnding';
        else if (header.bytes > limits.maxHeaderBytes) problem = 'headerTooBig';
      }
      if (problem) chunks.length = 0;
      else chunks.push(chunk);
    });
    stream.once('error', reject);
    stream.once('end', () => {
      if (!problem && stream.sizeExceeded) problem = 'tooBig';
      if (!problem) {
        lineEndings.end();
        if (lineEndings.bad) problem = 'bareLineEnding';
      }
      resolve(problem ? { ok: false, problem, bytes } : { ok: true, raw: Buffer.concat(chunks, bytes) });
    });
  });
}
