// WorkMail's NextToken/MaxResults over the one keyset pagination (store/page.ts): a token that
// is not one Godwit issued is refused as WorkMail refuses it.
import { pageOf, pageRequest, type PageRequest } from '../store/page.ts';
import { InvalidParameter } from './errors.ts';

export interface TokenPage<T> {
  items: T[];
  nextToken: string | undefined;
}

export type TokenRequest = PageRequest;

const invalidToken = () => new InvalidParameter('The NextToken is not valid.');

export function tokenRequest(input: { NextToken?: string; MaxResults?: number }, defaultLimit = 100): TokenRequest {
  return pageRequest(input.NextToken, input.MaxResults ?? defaultLimit, invalidToken);
}

/** `rows` holds up to limit + 1 rows in key order; the extra one tells that more remain. */
export function tokenPage<T>(rows: T[], request: TokenRequest, keyOf: (row: T) => string): TokenPage<T> {
  const page = pageOf(rows, request, keyOf);
  return { items: page.items, nextToken: page.next };
}
