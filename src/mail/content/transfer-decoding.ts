// The decoded bytes of a part for BINARY[…] (RFC 3516): IMAP's BODY[] serves the encoded bytes,
// BINARY the bytes the sender encoded. An encoding IMAP does not know is the client's
// UNKNOWN-CTE refusal, answered by the caller.

/** Decoded bytes, or null for a transfer encoding we cannot undo. */
export function decodeTransfer(body: Buffer, encoding: string): Buffer | null {
  switch (encoding.trim().toLowerCase()) {
    case '7bit':
    case '8bit':
    case 'binary':
    case '':
      return body;
    case 'base64':
      return Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
    case 'quoted-printable':
      return quotedPrintable(body);
    default:
      return null;
  }
}

function quotedPrintable(body: Buffer): Buffer {
  const out = Buffer.alloc(body.length);
  let length = 0;
  const hex = (c: number) => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== 0x3d) {
      out[length++] = c;
      continue;
    }
    // A soft line break ("=" at the end of a line, blanks allowed before it) joins two lines.
    let j = i + 1;
    while (body[j] === 0x20 || body[j] === 0x09) j++;
    if (body[j] === 0x0a || (body[j] === 0x0d && body[j + 1] === 0x0a) || j >= body.length) {
      i = body[j] === 0x0d ? j + 1 : j;
    } else if (hex(body[i + 1]) && hex(body[i + 2])) {
      out[length++] = parseInt(String.fromCharCode(body[i + 1], body[i + 2]), 16);
      i += 2;
    } else out[length++] = c;
  }
  return out.subarray(0, length);
}
