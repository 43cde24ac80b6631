// Passwords (root user, console login profiles, later mailboxes) are stored as scrypt PHC
// strings: memory-hard, salted, with parameters kept beside the hash so they can be raised later.
import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const LOG_N = 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password, salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

const memoryFor = (n: number, r: number) => 256 * n * r;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const N = 2 ** LOG_N;
  const key = await scrypt(password, salt, { N, r: R, p: P, maxmem: memoryFor(N, R) });
  return `$scrypt$ln=${LOG_N},r=${R},p=${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, phc: string): Promise<boolean> {
  const match = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$/.exec(phc);
  if (!match) return false;
  const [, ln, r, p, salt, expected] = match;
  const N = 2 ** Number(ln);
  const key = await scrypt(password, Buffer.from(salt!, 'base64'), { N, r: Number(r), p: Number(p), maxmem: memoryFor(N, Number(r)) });
  const want = Buffer.from(expected!, 'base64');
  return want.length === key.length && timingSafeEqual(want, key);
}
