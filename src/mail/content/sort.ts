// SORT (RFC 5256) and its DISPLAYFROM/DISPLAYTO keys (RFC 5957): the order of a set of messages
// from what each row already holds (internal date, size, stored envelope), never their bodies.
// Strings compare with i;ascii-casemap, the RFC's default collation: ASCII letters folded, then
// octet by octet in UTF-8. Messages equal on every key keep their order in the folder (UID
// order, which is sequence order), whatever REVERSE says.
import type { Address, AddressEntry, Envelope } from '../store/mime.ts';
import { baseSubject } from './base-subject.ts';
import { decodeEnvelopeText } from './text-match.ts';

export type SortKey = 'ARRIVAL' | 'CC' | 'DATE' | 'FROM' | 'SIZE' | 'SUBJECT' | 'TO' | 'DISPLAYFROM' | 'DISPLAYTO';

/** One sort criterion as the IMAP parser produces it: `REVERSE DATE` is `{ key: 'DATE', reverse: true }`. */
export interface SortCriterion {
  key: SortKey;
  reverse?: boolean;
}

export interface SortItem {
  uid: number;
  /** ms since the epoch */
  internalDate: number;
  size: number;
  envelope: Envelope;
}

/** The UIDs of `items` in the order of `criteria`. */
export function sortMessages(items: readonly SortItem[], criteria: readonly SortCriterion[]): number[] {
  // Each key is computed once per message, not once per comparison.
  const keyed = items.map((item) => ({ uid: item.uid, keys: criteria.map((criterion) => sortValue(item, criterion.key)) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < criteria.length; i++) {
      const order = compareValues(a.keys[i], b.keys[i]);
      if (order !== 0) return criteria[i].reverse ? -order : order;
    }
    return a.uid - b.uid;
  });
  return keyed.map((entry) => entry.uid);
}

type Value = number | Buffer;

function sortValue(item: SortItem, key: SortKey): Value {
  const { envelope } = item;
  switch (key) {
    case 'ARRIVAL':
      return item.internalDate;
    case 'SIZE':
      return item.size;
    case 'DATE': {
      // The sent date in UTC; without a readable one, the internal date (RFC 5256 3).
      const sent = envelope.date ? Date.parse(envelope.date.replace(/\s*\([^)]*\)\s*$/, '')) : NaN;
      return Number.isNaN(sent) ? item.internalDate : sent;
    }
    case 'SUBJECT':
      return collation(baseSubject(envelope.subject));
    case 'FROM':
      return collation(firstAddress(envelope.from)?.mailbox ?? '');
    case 'TO':
      return collation(firstAddress(envelope.to)?.mailbox ?? '');
    case 'CC':
      return collation(firstAddress(envelope.cc)?.mailbox ?? '');
    case 'DISPLAYFROM':
      return collation(displayName(firstAddress(envelope.from)));
    case 'DISPLAYTO':
      return collation(displayName(firstAddress(envelope.to)));
  }
}

const compareValues = (a: Value, b: Value): number => (typeof a === 'number' ? a - (b as number) : Buffer.compare(a, b as Buffer));

/** i;ascii-casemap: ASCII letters in one case, then UTF-8 octets. */
const collation = (text: string): Buffer => Buffer.from(text.replace(/[a-z]+/g, (letters) => letters.toUpperCase()), 'utf8');

/** The first address of a header; a group stands for its first member. */
function firstAddress(entries: readonly AddressEntry[] | null): Address | null {
  for (const entry of entries ?? []) {
    if (!('group' in entry)) return entry;
    if (entry.members.length) return entry.members[0];
  }
  return null;
}

/** RFC 5957: the display name, decoded, or else the address itself. */
function displayName(address: Address | null): string {
  if (!address) return '';
  const name = address.name ? decodeEnvelopeText(address.name).trim() : '';
  if (name) return name;
  return address.host ? `${address.mailbox ?? ''}@${address.host}` : (address.mailbox ?? '');
}
