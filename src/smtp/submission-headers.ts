// The header fields submission reads and completes: the addresses of From and Sender (checked
// against what the user may send as), and the Date and Message-ID an MSA may add when the
// client left them out (RFC 6409 section 8.2 and 8.3).
import { randomUUID } from 'node:crypto';
import { parseAddressList } from '../mail/store/mime.ts';
import { rfc5322Date } from './trace-headers.ts';

export interface HeaderField {
  /** As written, e.g. 'From'. */
  name: string;
  /** Unfolded, without the leading white space. */
  value: string;
}

/** The header fields of a message (up to its first empty line), unfolded. */
export function headerFields(raw: Buffer): HeaderField[] {
  const end = raw.indexOf('\r\n\r\n');
  const block = raw.subarray(0, end === -1 ? raw.length : end).toString('latin1');
  if (block.startsWith('\r\n') || block.length === 0) return [];
  const fields: HeaderField[] = [];
  for (const field of block.split(/\r\n(?![ \t])/)) {
    const colon = field.indexOf(':');
    if (colon <= 0) continue;
    fields.push({ name: field.slice(0, colon).trim(), value: field.slice(colon + 1).replace(/\r\n/g, '').trim() });
  }
  return fields;
}

const named = (fields: HeaderField[], name: string) => fields.filter((field) => field.name.toLowerCase() === name);

/** Every address (group members included) of every field of that name, as 'local@domain'. */
export function addressesOf(fields: HeaderField[], name: 'from' | 'sender'): string[] {
  const out: string[] = [];
  for (const field of named(fields, name)) {
    for (const entry of parseAddressList(field.value)) {
      const mailboxes = 'group' in entry ? entry.members : [entry];
      // An address without a domain is nobody's here: kept, so that the check refuses it.
      for (const mailbox of mailboxes) out.push(mailbox.host ? `${mailbox.mailbox ?? ''}@${mailbox.host}` : (mailbox.mailbox ?? ''));
    }
  }
  return out;
}

/** The Date and Message-ID fields to prepend for a message that lacks them ('' when it has both). */
export function missingOriginFields(fields: HeaderField[], at: Date, domain: string): string {
  let added = '';
  if (named(fields, 'date').length === 0) added += `Date: ${rfc5322Date(at)}\r\n`;
  if (named(fields, 'message-id').length === 0) added += `Message-ID: <${randomUUID()}@${domain}>\r\n`;
  return added;
}
