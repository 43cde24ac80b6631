// ENVELOPE, BODY and BODYSTRUCTURE (RFC 3501 section 7.4.2) from what the mailbox store computed
// at delivery (mail/store/mime.ts), so that a FETCH of them never opens the message.
import type { Address, AddressEntry, BodyPart, Envelope } from '../../mail/store/mime.ts';
import { concatenated, Encoded, encodeValue, type ImapValue } from './encode.ts';

function address(a: Address): ImapValue {
  // The route (at-domain-list) is obsolete; every server sends NIL.
  return [a.name, null, a.mailbox, a.host];
}

function addressList(list: AddressEntry[] | null): ImapValue {
  if (!list || list.length === 0) return null;
  const out: ImapValue[] = [];
  for (const entry of list) {
    if ('group' in entry) {
      // RFC 3501: a group opens with (NIL NIL "name" NIL) and closes with (NIL NIL NIL NIL).
      out.push([null, null, entry.group, null], ...entry.members.map(address), [null, null, null, null]);
    } else out.push(address(entry));
  }
  // env-from = "(" 1*address ")": the addresses follow each other with no space.
  return new Encoded(Buffer.concat([Buffer.from('('), concatenated(out), Buffer.from(')')]));
}

export function envelopeValue(envelope: Envelope): ImapValue {
  return [
    envelope.date,
    envelope.subject,
    addressList(envelope.from),
    addressList(envelope.sender),
    addressList(envelope.replyTo),
    addressList(envelope.to),
    addressList(envelope.cc),
    addressList(envelope.bcc),
    envelope.inReplyTo,
    envelope.messageId,
  ];
}

export function encodeEnvelope(envelope: Envelope): Buffer {
  return encodeValue(envelopeValue(envelope));
}

function params(values: Record<string, string>): ImapValue {
  const entries = Object.entries(values);
  if (entries.length === 0) return null;
  return entries.flatMap(([name, value]) => [name.toUpperCase(), value]);
}

function language(list: string[] | null): ImapValue {
  if (!list || list.length === 0) return null;
  return list.length === 1 ? list[0] : list;
}

/** body-ext-1part / body-ext-mpart's shared tail: disposition, language, location. */
function extensionTail(part: BodyPart): ImapValue[] {
  const disposition = part.disposition ? [part.disposition.type.toUpperCase(), params(part.disposition.params)] : null;
  return [disposition, language(part.language), part.location];
}

/** BODYSTRUCTURE when `extended`, else BODY: the same tree without the extension data. */
export function bodyStructureValue(part: BodyPart, extended: boolean): ImapValue {
  if (part.parts) {
    // body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]: the parts take no spaces.
    const rest: ImapValue[] = [part.subtype.toUpperCase()];
    if (extended) rest.push(params(part.params), ...extensionTail(part));
    const children = concatenated(part.parts.map((child) => bodyStructureValue(child, extended)));
    const tail = encodeValue(rest).subarray(1);
    return new Encoded(Buffer.concat([Buffer.from('('), children, Buffer.from(' '), tail]));
  }
  const out: ImapValue[] = [part.type.toUpperCase(), part.subtype.toUpperCase(), params(part.params), part.id, part.description, part.encoding.toUpperCase(), part.size];
  if (part.message) out.push(envelopeValue(part.message.envelope), bodyStructureValue(part.message.body, extended), part.lines ?? 0);
  else if (part.type === 'text') out.push(part.lines ?? 0);
  if (extended) out.push(part.md5, ...extensionTail(part));
  return out;
}

export function encodeBodyStructure(part: BodyPart, extended: boolean): Buffer {
  return encodeValue(bodyStructureValue(part, extended));
}
