// Folder names as IMAP sees them: UTF-8 (the IMAP door converts modified UTF-7), levels apart by
// '/', INBOX in any case meaning WorkMail's Inbox, and WorkMail's folders carrying the RFC 6154
// special-use attributes clients look for.
import { WELL_KNOWN_FOLDERS } from '../delivery.ts';
import { InvalidFolderName } from './errors.ts';

export const DELIMITER = '/';
/** Bytes of a whole name (Dovecot's limit is similar); a level of it at most LEVEL_BYTES. */
export const MAX_NAME_BYTES = 1024;
export const MAX_LEVEL_BYTES = 255;

const INBOX = 'Inbox';

/** WorkMail's folders to the special-use attribute (RFC 6154) clients map them by. */
const SPECIAL_USE: Record<string, string> = {
  'Sent Items': '\\Sent',
  'Deleted Items': '\\Trash',
  'Junk E-mail': '\\Junk',
  Drafts: '\\Drafts',
};

// Control characters break the wire form; '*' and '%' are LIST wildcards, which a name holding
// them could never be listed apart from others by.
const FORBIDDEN = /[\u0000-\u001f\u007f*%]/u;

/** The stored form of a name a client gave: INBOX (any case) as Inbox, otherwise as given; checked. */
export function canonicalName(name: string): string {
  const levels = name.split(DELIMITER);
  if (levels[0].toLowerCase() === 'inbox') levels[0] = INBOX;
  const canonical = levels.join(DELIMITER);
  if (!name.length) throw new InvalidFolderName('A folder name cannot be empty.');
  if (Buffer.byteLength(canonical) > MAX_NAME_BYTES) throw new InvalidFolderName(`A folder name is at most ${MAX_NAME_BYTES} bytes.`);
  if (FORBIDDEN.test(canonical)) throw new InvalidFolderName('A folder name cannot hold control characters, * or %.');
  for (const level of levels) {
    if (!level.length) throw new InvalidFolderName(`"${name}" has an empty level: no leading, trailing or doubled ${DELIMITER}.`);
    if (Buffer.byteLength(level) > MAX_LEVEL_BYTES) throw new InvalidFolderName(`A level of a folder name is at most ${MAX_LEVEL_BYTES} bytes.`);
  }
  if (/\p{Cs}/u.test(canonical)) throw new InvalidFolderName('A folder name must be valid UTF-8.');
  return canonical;
}

/** The name as IMAP shows it: Inbox as INBOX (RFC 3501 reserves that spelling). */
export function displayName(stored: string): string {
  if (stored === INBOX) return 'INBOX';
  return stored.startsWith(INBOX + DELIMITER) ? 'INBOX' + stored.slice(INBOX.length) : stored;
}

export const isInbox = (stored: string): boolean => stored === INBOX;
export const isWellKnown = (stored: string): boolean => (WELL_KNOWN_FOLDERS as readonly string[]).includes(stored);
export const specialUse = (stored: string): string | undefined => SPECIAL_USE[stored];

/** The names above `name` in the hierarchy, outermost first: a/b/c → a, a/b. */
export function parentsOf(name: string): string[] {
  const levels = name.split(DELIMITER);
  return levels.slice(1).map((_, i) => levels.slice(0, i + 1).join(DELIMITER));
}

export const isInside = (name: string, parent: string): boolean => name.startsWith(parent + DELIMITER);
