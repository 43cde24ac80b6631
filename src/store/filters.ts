// Query fragments shared by the repositories.
import { sql, type Expression, type SqlBool } from 'kysely';

/**
 * `path` begins with `prefix`, compared literally. LIKE would treat '%' and '_' (both legal in
 * IAM paths) as wildcards, and the two engines disagree on its escape character.
 */
export function pathStartsWith(prefix: string): Expression<SqlBool> {
  return sql<SqlBool>`substr(path, 1, ${prefix.length}) = ${prefix}`;
}
