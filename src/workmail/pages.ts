// NextToken/MaxResults pagination for WorkMail's List operations: keyset pages over a sort key,
// so the last page costs what the first does. The token is opaque to clients.
import { InvalidParameter } from './errors.ts';

export interface TokenPage<T> {
  items: T[];
  nextToken: string | undefined;
}

export interface TokenRequest {
  after: string | undefined;
  limit: number;
}

export function tokenRequest(input: { NextToken?: string; MaxResults?: number }, defaultLimit = 100): TokenRequest {
  let after: string | undefined;
  if (input.NextToken !== undefined) {
    const decoded = Buffer.from(input.NextToken, 'base64url').toString('utf8');
    if (!decoded.startsWith('k:')) throw new InvalidParameter('The NextToken is not valid.');
    after = decoded.slice(2);
  }
  return { after, limit: input.MaxResults ?? defaultLimit };
}

/** `rows` holds up to limit + 1 rows in key order; the extra one tells that more remain. */
export function tokenPage<T>(rows: T[], request: TokenRequest, keyOf: (row: T) => string): TokenPage<T> {
  const more = rows.length > request.limit;
  const items = more ? rows.slice(0, request.limit) : rows;
  const nextToken = more ? Buffer.from('k:' + keyOf(items[items.length - 1]!), 'utf8').toString('base64url') : undefined;
  return { items, nextToken };
}
