// Decoding for the search index: RFC 2047 encoded words in headers, and a part's transfer
// encoding and charset. IMAP itself serves the raw bytes; only search reads decoded text.

/** Decodes =?charset?B|Q?…?= words; adjacent encoded words join without the space between them. */
export function decodeWords(value: string): string {
  const text = Buffer.from(value, 'latin1').toString('utf8');
  return text
    .replace(/(=\?[^?]+\?[bqBQ]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?*]+)(?:\*[^?]*)?\?([bqBQ])\?([^?]*)\?=/g, (_, charset: string, encoding: string, data: string) => {
      const bytes = encoding.toLowerCase() === 'b' ? Buffer.from(data, 'base64') : quotedPrintable(data.replace(/_/g, ' '), false);
      return decodeCharset(bytes, charset);
    });
}

export function decodeBody(body: Buffer, transferEncoding: string | null, charset: string | undefined): string {
  const encoding = (transferEncoding ?? '7bit').trim().toLowerCase();
  let bytes = body;
  if (encoding === 'base64') bytes = Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  else if (encoding === 'quoted-printable') bytes = quotedPrintable(body.toString('latin1'), true);
  return decodeCharset(bytes, charset ?? 'utf-8');
}

function quotedPrintable(text: string, body: boolean): Buffer {
  const source = body ? text.replace(/=\r?\n/g, '') : text;
  const out: number[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(source.slice(i + 1, i + 3))) {
      out.push(parseInt(source.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(source.charCodeAt(i) & 0xff);
  }
  return Buffer.from(out);
}

export function decodeCharset(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset.trim().toLowerCase(), { fatal: false }).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}
