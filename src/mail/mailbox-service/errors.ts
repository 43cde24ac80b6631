// The mailbox service's refusals, in the kinds every door maps (src/errors.ts). The IMAP door
// turns them into NO with a response code ([NONEXISTENT], [ALREADYEXISTS], [CANNOT], [OVERQUOTA] …).
import { errorClass } from '../../errors.ts';

export { QuotaExceeded, MailboxNotFound } from '../store/errors.ts';

export class FolderNotFound extends errorClass('notFound', 'FolderNotFound') {}
export class MessageNotFound extends errorClass('notFound', 'MessageNotFound') {}
export class FolderExists extends errorClass('conflict', 'FolderExists') {}
/** Deleting a \Noselect level that still has children (RFC 3501 DELETE). */
export class FolderHasChildren extends errorClass('conflict', 'FolderHasChildren') {}
/** One of WorkMail's folders, which cannot be deleted or renamed. */
export class FolderProtected extends errorClass('state', 'FolderProtected') {}
export class InvalidFolderName extends errorClass('invalid', 'InvalidFolderName') {}
export class InvalidFlag extends errorClass('invalid', 'InvalidFlag') {}
export class InvalidUidSet extends errorClass('invalid', 'InvalidUidSet') {}
/** The user holds no FULL_ACCESS on the mailbox (or it is not theirs). */
export class MailboxAccessDenied extends errorClass('denied', 'MailboxAccessDenied') {}
