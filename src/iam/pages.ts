// IAM's Marker/MaxItems over the one keyset pagination (store/page.ts): a marker that is not
// one Godwit issued is refused as IAM refuses it, never read as "from the start".
import { InvalidInput } from '../errors.ts';
import { pageRequest as keysetRequest, type Page, type PageRequest } from '../store/page.ts';

export const DEFAULT_MAX_ITEMS = 100;

const invalidMarker = () => new InvalidInput('Invalid Marker.');

export function pageRequest(input: { Marker?: string; MaxItems?: number }): PageRequest {
  return keysetRequest(input.Marker, input.MaxItems ?? DEFAULT_MAX_ITEMS, invalidMarker);
}

/** The Query-protocol result members for a page. */
export const pageResult = <T>(page: Page<T>) => ({ IsTruncated: page.isTruncated, Marker: page.next });
