// How deep a message's MIME structure nests, read from its boundaries without building the tree,
// so that a message made to exhaust a MIME parser (the mailbox store's, a client's) is refused
// at the door. multipart/* and message/rfc822 each open a level.
const CONTENT_TYPE = /^content-type:\s*([^;\s]+)(.*)$/is;
const BOUNDARY = /;\s*boundary\s*=\s*(?:"([^"]{1,200})"|([^;\s]{1,200}))/i;

interface Level {
  /** undefined for an embedded message, which no delimiter line closes on its own. */
  boundary: string | undefined;
}

/** True when the MIME nesting of `raw` goes deeper than `max` levels. */
export function mimeDepthExceeds(raw: Buffer, max: number): boolean {
  const lines = raw.toString('latin1').split('\r\n');
  const stack: Level[] = [];
  let inHeaders = true;
  let header = '';
  const headerFields: string[] = [];
  for (const line of lines) {
    if (inHeaders) {
      if (line === '') {
        if (header) headerFields.push(header);
        header = '';
        inHeaders = false;
        if (opens(headerFields, stack)) {
          if (stack.length > max) return true;
          // An embedded message starts with its own header block.
          if (stack[stack.length - 1].boundary === undefined) inHeaders = true;
        }
        headerFields.length = 0;
      } else if (/^[ \t]/.test(line)) header += line;
      else {
        if (header) headerFields.push(header);
        header = line;
      }
      continue;
    }
    if (!line.startsWith('--')) continue;
    const delimiter = line.trimEnd();
    for (let level = stack.length - 1; level >= 0; level--) {
      const boundary = stack[level].boundary;
      if (boundary === undefined) continue;
      if (delimiter === `--${boundary}--`) {
        stack.length = level;
        break;
      }
      if (delimiter === `--${boundary}`) {
        stack.length = level + 1;
        inHeaders = true;
        break;
      }
    }
  }
  return false;
}

/** Pushes the level the part's Content-Type opens, if any; true when it opened one. */
function opens(fields: string[], stack: Level[]): boolean {
  for (const field of fields) {
    const match = CONTENT_TYPE.exec(field);
    if (!match) continue;
    const type = match[1].toLowerCase();
    if (type.startsWith('multipart/')) {
      const boundary = BOUNDARY.exec(match[2]);
      if (!boundary) return false;
      stack.push({ boundary: boundary[1] ?? boundary[2] });
      return true;
    }
    if (type === 'message/rfc822' || type === 'message/global') {
      stack.push({ boundary: undefined });
      return true;
    }
    return false;
  }
  return false;
}
