// Where each MIME entity of a stored message lies in its raw bytes. mime.ts records sizes, not
// offsets, and others depend on its output, so the offsets are found again here with the same
// rules it splits by (a header block ends at the first empty line; a multipart's parts lie
// between delimiter lines, the line break before a delimiter belonging to the delimiter). The
// stored body structure decides what each entity is (multipart, message/rfc822, leaf), so a
// multipart mime.ts made opaque (too deep, no boundary) stays opaque here, and only the entities
// on the path to the requested part are scanned.
import type { BodyPart } from '../store/mime.ts';

/** One MIME entity: its header block is raw[start, bodyStart), its body raw[bodyStart, end). */
export interface Entity {
  start: number;
  bodyStart: number;
  end: number;
  /** the part's stored structure */
  part: BodyPart;
  /** Whether this entity is a message (top level or the inside of a message/rfc822 part): its header is RFC 5322's. */
  message: boolean;
}

/** The whole message as an entity. */
export function messageEntity(raw: Buffer, structure: BodyPart): Entity {
  return { start: 0, bodyStart: bodyStartOf(raw, 0, raw.length), end: raw.length, part: structure, message: true };
}

/** The message inside a message/rfc822 part, or null when the part is not one (or mime.ts stopped before it). */
export function encapsulated(raw: Buffer, entity: Entity): Entity | null {
  const inner = entity.part.message;
  if (!inner || entity.part.type !== 'message' || entity.part.subtype !== 'rfc822') return null;
  return { start: entity.bodyStart, bodyStart: bodyStartOf(raw, entity.bodyStart, entity.end), end: entity.end, part: inner.body, message: true };
}

/**
 * The entity of a part number (RFC 3501 6.4.5): `[]` is the message itself; in a multipart, n is
 * its n-th part; a message that is not multipart has one part, 1, its body; a number after a
 * message/rfc822 part counts within the message it carries. Null when there is no such part.
 */
export function locatePart(raw: Buffer, structure: BodyPart, path: readonly number[]): Entity | null {
  let entity = messageEntity(raw, structure);
  for (const index of path) {
    if (!Number.isInteger(index) || index < 1) return null;
    // A part number after a message/rfc822 part addresses the parts of the message inside it.
    if (!entity.message) {
      const inner = encapsulated(raw, entity);
      if (inner) entity = inner;
    }
    const children = entity.part.parts;
    if (children) {
      if (index > children.length) return null;
      const ranges = multipartRanges(raw, entity.bodyStart, entity.end, entity.part.params.boundary ?? '');
      // mime.ts gives a multipart without any part one empty text/plain part.
      const [start, end] = ranges[index - 1] ?? [entity.end, entity.end];
      entity = { start, bodyStart: bodyStartOf(raw, start, end), end, part: children[index - 1], message: false };
    } else if (entity.message && index === 1) {
      // A single-part message: part 1 is its body, and the message header is that part's MIME header.
      entity = { ...entity, message: false };
    } else return null;
  }
  return entity;
}

/** Where the body of the entity raw[start, end) begins, split as mime.ts splitEntity does. */
export function bodyStartOf(raw: Buffer, start: number, end: number): number {
  if (start >= end) return end;
  // No header at all: the body starts after the first line break.
  if (raw[start] === 0x0d) return Math.min(start + 2, end);
  if (raw[start] === 0x0a) return start + 1;
  const crlf = indexWithin(raw, '\r\n\r\n', start, end);
  const lf = indexWithin(raw, '\n\n', start, end);
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return crlf + 4;
  if (lf >= 0) return lf + 2;
  return end;
}

function indexWithin(raw: Buffer, needle: string, start: number, end: number): number {
  const at = raw.indexOf(needle, start, 'latin1');
  return at >= 0 && at + needle.length <= end ? at : -1;
}

/** The [start, end) of each part of the multipart body raw[start, end), as mime.ts splitMultipart cuts them. */
export function multipartRanges(raw: Buffer, start: number, end: number, boundary: string): Array<[number, number]> {
  const body = raw.subarray(start, end);
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const parts: Array<[number, number]> = [];
  let partStart = -1;
  let at = 0;
  while (at <= body.length) {
    const found = body.indexOf(delimiter, at);
    if (found < 0) break;
    const after = found + delimiter.length;
    const closing = body[after] === 0x2d && body[after + 1] === 0x2d;
    if (!(found === 0 || body[found - 1] === 0x0a) || !(closing || endsLine(body, after))) {
      at = found + 1;
      continue;
    }
    if (partStart >= 0) {
      let partEnd = found;
      if (partEnd > partStart && body[partEnd - 1] === 0x0a) partEnd--;
      if (partEnd > partStart && body[partEnd - 1] === 0x0d) partEnd--;
      parts.push([start + partStart, start + partEnd]);
    }
    if (closing) return parts;
    const lineEnd = body.indexOf(0x0a, after);
    if (lineEnd < 0) return parts;
    partStart = lineEnd + 1;
    at = partStart;
  }
  if (partStart >= 0 && partStart < body.length) parts.push([start + partStart, end]);
  return parts;
}

function endsLine(body: Buffer, at: number): boolean {
  let i = at;
  while (body[i] === 0x20 || body[i] === 0x09) i++;
  return i >= body.length || body[i] === 0x0a || (body[i] === 0x0d && body[i + 1] === 0x0a);
}
