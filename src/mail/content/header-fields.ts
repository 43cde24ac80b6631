// A header block as its fields, each kept as the exact bytes it came in (folded lines and all),
// for BODY[HEADER.FIELDS (…)] and the HEADER search key.

export interface HeaderField {
  /** lower case */
  name: string;
  /** the field's lines as they came, line breaks included */
  raw: string;
}

/** The fields of a header block (latin1, so each character is one byte) and the empty line that ends it, if any. */
export function headerFields(block: string): { fields: HeaderField[]; terminator: string } {
  const fields: HeaderField[] = [];
  let terminator = '';
  let at = 0;
  while (at < block.length) {
    const newline = block.indexOf('\n', at);
    const lineEnd = newline < 0 ? block.length : newline + 1;
    const line = block.slice(at, lineEnd);
    if (line === '\r\n' || line === '\n') {
      terminator = line;
      break;
    }
    if ((line[0] === ' ' || line[0] === '\t') && fields.length) fields[fields.length - 1].raw += line;
    else {
      const colon = line.indexOf(':');
      // A line that is no field (no colon) is kept with the one before, as mime.ts ignores it.
      if (colon > 0) fields.push({ name: line.slice(0, colon).trim().toLowerCase(), raw: line });
      else if (fields.length) fields[fields.length - 1].raw += line;
    }
    at = lineEnd;
  }
  return { fields, terminator };
}

/** HEADER.FIELDS (keep = true) or HEADER.FIELDS.NOT: the chosen fields and the empty line (RFC 3501 6.4.5). */
export function filterHeader(block: string, names: readonly string[], keep: boolean): string {
  const wanted = new Set(names.map((name) => name.toLowerCase()));
  const { fields, terminator } = headerFields(block);
  return fields.filter((field) => wanted.has(field.name) === keep).map((field) => field.raw).join('') + terminator;
}

/** A field's value unfolded: the text after the colon, continuation line breaks removed. */
export function fieldValue(field: HeaderField): string {
  return field.raw
    .slice(field.raw.indexOf(':') + 1)
    .replace(/\r?\n(?=[ \t])/g, '')
    .replace(/\r?\n$/, '')
    .trim();
}
