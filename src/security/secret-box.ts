// Secrets at rest. Access-key secrets must stay usable for SigV4, so they cannot be hashed:
// they are sealed with AES-256-GCM under a server key that `init` creates (mode 0600) in the
// data folder. The database alone therefore reveals no secret.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const KEY_FILE = 'server.key';
const PREFIX = 'v1';

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromKey(key: Buffer): SecretBox {
    if (key.length !== 32) throw new Error('the server key must be 32 bytes');
    return new SecretBox(key);
  }

  seal(plaintext: string, associatedData: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    // Binding the row id as associated data stops a sealed secret from being moved to another key id.
    cipher.setAAD(Buffer.from(associatedData));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [PREFIX, iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join(':');
  }

  open(sealed: string, associatedData: string): string {
    const [prefix, iv, tag, body] = sealed.split(':');
    if (prefix !== PREFIX || !iv || !tag || body === undefined) throw new Error('sealed secret has an unknown format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(associatedData));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
  }
}

export function serverKeyPath(dataDir: string): string {
  return join(dataDir, KEY_FILE);
}

export function hasServerKey(dataDir: string): boolean {
  return existsSync(serverKeyPath(dataDir));
}

/** Creates the server key; refuses to replace one, since that would orphan every sealed secret. */
export function createServerKey(dataDir: string): SecretBox {
  const key = randomBytes(32);
  writeFileSync(serverKeyPath(dataDir), key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  return SecretBox.fromKey(key);
}

export function loadServerKey(dataDir: string): SecretBox {
  return SecretBox.fromKey(Buffer.from(readFileSync(serverKeyPath(dataDir), 'utf8').trim(), 'base64'));
}
