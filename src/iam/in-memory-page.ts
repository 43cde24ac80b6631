// Keyset pagination over lists that are small enough to build in memory (the ≤10 policies
// attached to an entity, the ≤5 versions of a policy, simulation results, the AWS managed
// policies). The marker carries the key of the last item, as src/store/page.ts does for SQL
// queries, so a marker keeps working while items are added or removed between pages.
import { pageOf, type Page, type PageRequest } from '../store/page.ts';

/** `items` must already be in ascending order of `keyOf` (plain string comparison). */
export function pageOfSorted<T>(items: readonly T[], request: PageRequest, keyOf: (item: T) => string): Page<T> {
  const after = request.after;
  const start = after === undefined ? 0 : items.findIndex((item) => keyOf(item) > after);
  const rest = start < 0 ? [] : items.slice(start, start + request.limit + 1);
  return pageOf(rest, request, keyOf);
}

/** A sortable key for a position in a list whose order is fixed by the request itself. */
export const positionKey = (index: number): string => String(index).padStart(8, '0');
