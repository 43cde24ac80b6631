// The header block of a stored (CRLF) message: what DSNs quote and DKIM looks into.

/** Everything before the first empty line, without it; the whole message if it has no body. */
export function headerBlock(raw: Buffer): string {
  const end = raw.indexOf('\r\n\r\n');
  return raw.subarray(0, end < 0 ? raw.length : end + 2).toString('utf8');
}
