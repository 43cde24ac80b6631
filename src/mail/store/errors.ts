// The mailbox store's refusals, in the kinds every door maps (src/errors.ts); the codes are the
// ones src/mail/delivery.ts promises the doors.
import { DomainError, errorClass } from '../../errors.ts';

export class QuotaExceeded extends errorClass('limit', 'QuotaExceeded') {}
export class MailboxNotFound extends errorClass('notFound', 'MailboxNotFound') {}
export class InvalidTarget extends errorClass('invalid', 'InvalidTarget') {}
export class StorageFull extends errorClass('unavailable', 'StorageFull') {}
export class StoreUnavailable extends errorClass('unavailable', 'StoreUnavailable') {}

/** A failure below the domain (disk, database) as the refusal a door can answer. */
export function storeFailure(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  const code = (error as NodeJS.ErrnoException)?.code;
  const message = (error as Error)?.message ?? String(error);
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'SQLITE_FULL' || code === '53100') return new StorageFull(`The mail store is full: ${message}`);
  return new StoreUnavailable(`The mail store cannot write now: ${message}`);
}
