// Every reply the SMTP door gives of its own (policy, limits, store outcomes), and the one table
// that turns a domain error into an SMTP reply, as src/aws/errors.ts does for the AWS protocols.
// Each reply carries its RFC 3463 enhanced status code in its text, since the server announces
// ENHANCEDSTATUSCODES; the connection adapter (connection.ts) keeps smtp-server from adding a
// second, generic one in front of it.
import { DomainError, type ErrorKind } from '../errors.ts';

export interface SmtpReply {
  code: number;
  /** RFC 3463 class.subject.detail */
  enhanced: string;
  text: string;
}

const reply = (code: number, enhanced: string, text: string): SmtpReply => ({ code, enhanced, text });

export const REPLIES = {
  // RCPT
  unknownRecipient: (address: string) => reply(550, '5.1.1', `<${address}>: no such mailbox here`),
  noMembers: (address: string) => reply(550, '5.1.1', `<${address}>: group has no member who receives mail`),
  relayDenied: (address: string) => reply(550, '5.7.1', `<${address}>: relay access denied; this is an MX, it accepts mail for its own domains only`),
  mailboxFull: (address: string) => reply(552, '5.2.2', `<${address}>: mailbox full`),
  tooManyRecipients: (max: number) => reply(452, '4.5.3', `Too many recipients (at most ${max} per message); send the rest in another transaction`),
  otherOrganization: () => reply(452, '4.5.3', 'Recipients of one organization per message; send this one in another transaction'),
  lookupFailed: () => reply(451, '4.3.0', 'Temporary failure looking up the recipient; try again later'),
  // DATA
  messageTooBig: (max: number) => reply(552, '5.3.4', `Message exceeds the fixed maximum message size of ${max} bytes`),
  headerTooBig: (max: number) => reply(552, '5.3.4', `Message header exceeds ${max} bytes`),
  bareLineEnding: () => reply(554, '5.6.0', 'Message refused: bare CR or LF in the data; every line must end with CRLF (RFC 5321 section 2.3.8)'),
  mimeTooDeep: (max: number) => reply(554, '5.6.0', `Message refused: MIME parts nested deeper than ${max} levels`),
  dmarcReject: (domain: string) => reply(550, '5.7.1', `Message refused: it fails DMARC and ${domain} publishes p=reject`),
  accepted: (id: string) => reply(250, '2.6.0', `Message accepted and stored as ${id}`),
  // Submission (465, 587): AUTH (RFC 4954) and who may send as whom
  encryptionRequired: () => reply(538, '5.7.11', 'Encryption required for requested authentication mechanism'),
  authRequired: () => reply(530, '5.7.0', 'Authentication required'),
  authInvalid: () => reply(535, '5.7.8', 'Authentication credentials invalid'),
  authThrottled: (retryAfterSeconds: number) =>
    reply(454, '4.7.0', `Too many failed authentication attempts from your address; try again in ${retryAfterSeconds} seconds`),
  authUnavailable: () => reply(454, '4.7.0', 'Temporary authentication failure; try again later'),
  senderLookupFailed: () => reply(451, '4.3.0', 'Temporary failure checking the sender address; try again later'),
  nullSenderRefused: () => reply(550, '5.7.1', 'A null sender <> is not accepted on submission; give your own address'),
  senderNotAllowed: (address: string) =>
    reply(550, '5.7.1', `<${address}>: you may not send as this address (it is not yours, nor one you hold SEND_AS on)`),
  fromNotAllowed: (field: string, address: string) =>
    reply(550, '5.7.1', `${field}: <${address}>: you may not send as this address (it is not yours, nor one you hold SEND_AS on)`),
  noFromAddress: () => reply(550, '5.7.1', 'The message has no From address (RFC 5322 section 3.6.2); it must name you or an address you may send as'),
  submitted: (id: string) => reply(250, '2.6.0', `Message accepted as ${id}`),
  // Session
  lineTooLong: (max: number) => reply(500, '5.5.2', `Line too long (at most ${max} octets with CRLF, RFC 5321 section 4.5.3.1.4)`),
  tooManyCommands: (max: number) => reply(421, '4.7.0', `Too many commands in one session (at most ${max}); closing`),
  tooManySessions: (max: number) => reply(421, '4.7.0', `Too many sessions from your address (at most ${max}); try again later`),
} as const;

/** What the mailbox store's failures mean to a sending server: which are final, which to retry. */
const BY_CODE: Record<string, SmtpReply> = {
  QuotaExceeded: reply(552, '5.2.2', 'Mailbox full: the message would exceed the recipient quota'),
  StorageFull: reply(452, '4.3.1', 'Insufficient system storage; try again later'),
};

const BY_KIND: Partial<Record<ErrorKind, SmtpReply>> = {
  limit: BY_CODE.QuotaExceeded,
};

/** Any other failure: nothing was stored, and the sender should try again. */
const TEMPORARY = reply(451, '4.3.0', 'Local error in processing; the message was not stored, try again later');

/** The reply for a failure to store a message: never a 2xx. */
export function replyForError(error: unknown): SmtpReply {
  if (error instanceof DomainError) return BY_CODE[error.code] ?? BY_KIND[error.kind] ?? TEMPORARY;
  return TEMPORARY;
}

export const ENHANCED_PREFIX = /^[245]\.\d{1,3}\.\d{1,3} /;

/** The reply as smtp-server sends a callback error: responseCode, and the text led by its enhanced code. */
export function replyError(r: SmtpReply): Error & { responseCode: number } {
  return Object.assign(new Error(`${r.enhanced} ${r.text}`), { responseCode: r.code });
}

export const replyText = (r: SmtpReply): string => `${r.enhanced} ${r.text}`;
