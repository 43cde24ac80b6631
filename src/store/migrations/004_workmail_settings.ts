import type { Kysely } from 'kysely';

// Reserved for a WorkMail feature being built; its tables are added here.
export async function up(_db: Kysely<unknown>): Promise<void> {}
