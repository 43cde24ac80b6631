// Reads a request body into memory with a hard size bound, so no client can make the server
// buffer more than `maxBytes`.
import type { IncomingMessage } from 'node:http';
import { DomainError } from '../errors.ts';

export class BodyTooLarge extends DomainError {
  constructor(maxBytes: number) {
    super('limit', 'RequestEntityTooLarge', `Request body exceeds the limit of ${maxBytes} bytes.`);
  }
}

export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (declared > maxBytes) {
      reject(new BodyTooLarge(maxBytes));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.removeAllListeners('data');
        req.resume();
        reject(new BodyTooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
