// The bytes of an IMAP FETCH body section (RFC 3501 6.4.5, RFC 9051 6.4.5, BINARY of RFC 3516)
// from a stored message: its raw bytes (the blob) and its body structure (computed by mime.ts at
// delivery). The IMAP parser turns `BODY[1.2.HEADER.FIELDS (From To)]<0.100>` into a SectionSpec;
// this file only cuts bytes and never decodes a header.
import { errorClass } from '../../errors.ts';
import type { BodyPart } from '../store/mime.ts';
import { filterHeader } from './header-fields.ts';
import { encapsulated, locatePart, type Entity } from './part-locator.ts';
import { decodeTransfer } from './transfer-decoding.ts';

/**
 * One body section as the IMAP parser produces it.
 *
 * - `BODY[]`, `BODY.PEEK[]`, `RFC822`: `{ part: [] }` (PEEK and \Seen are the caller's business)
 * - `BODY[HEADER]`, `RFC822.HEADER`: `{ part: [], specifier: 'HEADER' }`; `BODY[TEXT]`, `RFC822.TEXT`: `specifier: 'TEXT'`
 * - `BODY[HEADER.FIELDS (From To)]`: `{ part: [], specifier: 'HEADER.FIELDS', fields: ['From', 'To'] }`
 * - `BODY[1.2]`: `{ part: [1, 2] }`; `BODY[1.2.MIME]`: `{ part: [1, 2], specifier: 'MIME' }`
 * - `BODY[2.HEADER]` (part 2 a message/rfc822): `{ part: [2], specifier: 'HEADER' }`
 * - `BINARY[1]`, `BINARY.PEEK[1]`: `{ part: [1], binary: true }` (no specifier: RFC 3516 has none)
 * - `<origin.length>` on any of them: `partial: { origin, length }`
 */
export interface SectionSpec {
  /** Part numbers from 1; empty for the message itself. */
  part: number[];
  /** What of the part; absent means its content (the whole message when `part` is empty). */
  specifier?: 'HEADER' | 'HEADER.FIELDS' | 'HEADER.FIELDS.NOT' | 'TEXT' | 'MIME';
  /** The field names of HEADER.FIELDS and HEADER.FIELDS.NOT, matched case-insensitively. */
  fields?: string[];
  /** BINARY[…]: the part's content with its transfer encoding undone. */
  binary?: boolean;
  /** `<origin.length>`: at most `length` octets from octet `origin` (0-based). */
  partial?: { origin: number; length: number };
}

/** RFC 3501's RFC822 fetch items are BODY sections (RFC822.HEADER is a peek, which the caller knows). */
export const RFC822_SECTIONS: Readonly<Record<'RFC822' | 'RFC822.HEADER' | 'RFC822.TEXT', SectionSpec>> = {
  RFC822: { part: [] },
  'RFC822.HEADER': { part: [], specifier: 'HEADER' },
  'RFC822.TEXT': { part: [], specifier: 'TEXT' },
};

/** BINARY of a part whose transfer encoding we cannot undo: IMAP answers NO [UNKNOWN-CTE]. */
export class UnknownTransferEncoding extends errorClass('invalid', 'UnknownCte') {}

/**
 * The octets of a section, or null when the message has no such section (the part number does
 * not exist, or HEADER/TEXT of a part that is not a message/rfc822): the caller answers NIL, as
 * RFC 9051 allows for a section that does not exist. A partial fetch past the end is empty.
 */
export function extractSection(raw: Buffer, structure: BodyPart, spec: SectionSpec): Buffer | null {
  const whole = sectionBytes(raw, structure, spec);
  if (whole === null || !spec.partial) return whole;
  const { origin, length } = spec.partial;
  if (origin >= whole.length) return Buffer.alloc(0);
  return whole.subarray(origin, Math.min(whole.length, origin + length));
}

function sectionBytes(raw: Buffer, structure: BodyPart, spec: SectionSpec): Buffer | null {
  const entity = locatePart(raw, structure, spec.part);
  if (!entity) return null;
  if (spec.binary) {
    if (spec.specifier) return null;
    if (spec.part.length === 0) return raw;
    const body = raw.subarray(entity.bodyStart, entity.end);
    // A multipart or a message carries its parts' own encodings, never one of its own to undo.
    if (entity.part.parts || entity.part.message) return body;
    const decoded = decodeTransfer(body, entity.part.encoding);
    if (!decoded) throw new UnknownTransferEncoding(`Part ${spec.part.join('.')} has the unknown transfer encoding ${entity.part.encoding}.`);
    return decoded;
  }
  switch (spec.specifier) {
    case undefined:
      return spec.part.length === 0 ? raw : raw.subarray(entity.bodyStart, entity.end);
    case 'MIME':
      // MIME is the header of a part; the message itself has none (its header is HEADER).
      return spec.part.length === 0 ? null : raw.subarray(entity.start, entity.bodyStart);
    default: {
      const message = messageOf(raw, entity, spec.part.length === 0);
      if (!message) return null;
      if (spec.specifier === 'TEXT') return raw.subarray(message.bodyStart, message.end);
      const header = raw.subarray(message.start, message.bodyStart);
      if (spec.specifier === 'HEADER') return header;
      return Buffer.from(filterHeader(header.toString('latin1'), spec.fields ?? [], spec.specifier === 'HEADER.FIELDS'), 'latin1');
    }
  }
}

/** HEADER and TEXT apply to the message itself or to the message a message/rfc822 part carries. */
function messageOf(raw: Buffer, entity: Entity, top: boolean): Entity | null {
  if (top) return entity;
  return encapsulated(raw, entity);
}
