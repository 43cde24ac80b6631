// SEARCH's string matching (RFC 3501 6.4.4 with CHARSET UTF-8, RFC 9051): a case-insensitive
// substring match of decoded text, "case-insensitive" meaning Unicode's lower case of both sides
// in one normal form, so that "RÉSUMÉ" finds "résumé" whether it came as =?UTF-8?…?= or as 8-bit.
import type { AddressEntry, Envelope } from '../store/mime.ts';
import { decodeWords } from '../store/mime-decode.ts';
import type { Day } from './search-criteria.ts';

export const fold = (text: string): string => text.normalize('NFC').toLowerCase();

/** Whether `text` holds `needle`; the needle is already folded. An empty needle is in every text. */
export const holds = (text: string | null | undefined, foldedNeedle: string): boolean => foldedNeedle === '' || (text != null && fold(text).includes(foldedNeedle));

/**
 * A stored envelope value (raw header text, UTF-8, as mime.ts keeps it) with its RFC 2047
 * encoded words decoded. decodeWords reads its input as the header's bytes in latin1, so the
 * value goes back to bytes first.
 */
export const decodeEnvelopeText = (value: string | null): string => (value === null ? '' : decodeWords(Buffer.from(value, 'utf8').toString('latin1')));

/** An address list as one searchable text: each address as `name <mailbox@host>`, names decoded. */
export function addressesText(entries: readonly AddressEntry[] | null): string {
  if (!entries) return '';
  const one = (address: { name: string | null; mailbox: string | null; host: string | null }) => {
    const spec = address.host ? `${address.mailbox ?? ''}@${address.host}` : (address.mailbox ?? '');
    return address.name ? `${decodeEnvelopeText(address.name)} <${spec}>` : spec;
  };
  return entries.map((entry) => ('group' in entry ? `${decodeEnvelopeText(entry.group)}: ${entry.members.map(one).join(', ')};` : one(entry))).join(', ');
}

/** The envelope's header text TEXT searches without opening the body (see search-query.ts). */
export function envelopeText(envelope: Envelope): string {
  return [
    decodeEnvelopeText(envelope.subject),
    addressesText(envelope.from),
    addressesText(envelope.sender),
    addressesText(envelope.replyTo),
    addressesText(envelope.to),
    addressesText(envelope.cc),
    addressesText(envelope.bcc),
    envelope.date ?? '',
    envelope.messageId ?? '',
    envelope.inReplyTo ?? '',
  ].join('\n');
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * The day of a Date header as its writer wrote it (RFC 3501: SENT* keys disregard time and
 * zone), or, for a header in no form we read, the UTC day of whatever Date.parse makes of it;
 * null when there is none.
 */
export function sentDay(date: string | null): Day | null {
  if (!date) return null;
  const match = /(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{2,4})/.exec(date);
  if (match) {
    const month = MONTHS.indexOf(match[2].toLowerCase()) + 1;
    let year = Number(match[3]);
    // RFC 5322 4.3: two-digit years are 19xx from 50, 20xx below; three digits add 1900.
    if (match[3].length === 2) year += year < 50 ? 2000 : 1900;
    else if (match[3].length === 3) year += 1900;
    if (month > 0) return { year, month, day: Number(match[1]) };
  }
  const parsed = Date.parse(date);
  if (Number.isNaN(parsed)) return null;
  const utc = new Date(parsed);
  return { year: utc.getUTCFullYear(), month: utc.getUTCMonth() + 1, day: utc.getUTCDate() };
}

export const compareDays = (a: Day, b: Day): number => a.year - b.year || a.month - b.month || a.day - b.day;
