// Identifiers shaped as AWS shapes them: 12-digit account ids, unique ids with a type prefix
// (AIDA user, AGPA group, ANPA policy) followed by 17 characters from [A-Z2-7], access key ids
// AKIA + 16 characters, and 40-character secrets.
import { randomBytes, randomInt } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function randomFrom(alphabet: string, length: number): string {
  // The alphabets have 32 or 64 letters, so a byte modulo their length is unbiased.
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

export const newAccountId = (): string => String(randomInt(1, 10)) + String(randomInt(0, 1e11)).padStart(11, '0');
export const newUserId = (): string => 'AIDA' + randomFrom(BASE32, 17);
export const newGroupId = (): string => 'AGPA' + randomFrom(BASE32, 17);
export const newPolicyId = (): string => 'ANPA' + randomFrom(BASE32, 17);
export const newAccessKeyId = (): string => 'AKIA' + randomFrom(BASE32, 16);
export const newSecretAccessKey = (): string => randomFrom(SECRET_ALPHABET, 40);
export const newRequestId = (): string => crypto.randomUUID();
