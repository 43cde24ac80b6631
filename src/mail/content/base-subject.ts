// RFC 5256 2.1: the base subject SORT (and THREAD) compare, stripped of "Re:", "Fwd:", list
// tags like "[list]" and "(fwd)" trailers, so a thread's replies sort beside its first message.
import { decodeEnvelopeText } from './text-match.ts';

// subj-leader = (*subj-blob subj-refwd) / WSP, where subj-refwd = ("re" / "fw" ["d"]) *WSP [subj-blob] ":"
// and subj-blob = "[" *BLOBCHAR "]" *WSP (any character but brackets); the RFC's strings are case-insensitive.
const LEADER = /^(?:(?:\[[^[\]]*\] *)*(?:re|fwd?) *(?:\[[^[\]]*\] *)?:| )/i;
const BLOB = /^\[[^[\]]*\] */;
// subj-trailer = "(fwd)" / WSP
const TRAILER = /(?:\(fwd\)| )$/i;

/** The base subject of a raw Subject value as the envelope stores it (RFC 2047 words are decoded first). */
export function baseSubject(subject: string | null): string {
  // (1) decode, and turn tabs and folding into single spaces.
  let text = decodeEnvelopeText(subject).replace(/[\t\r\n ]+/g, ' ');
  for (;;) {
    // (2) trailers, repeatedly.
    while (TRAILER.test(text)) text = text.replace(TRAILER, '');
    // (3)–(5) leaders, and a leading blob unless nothing would be left.
    for (;;) {
      const leader = LEADER.exec(text);
      if (leader) {
        text = text.slice(leader[0].length);
        continue;
      }
      const blob = BLOB.exec(text);
      if (blob && text.slice(blob[0].length).trim() !== '') {
        text = text.slice(blob[0].length);
        continue;
      }
      break;
    }
    // (6) "[fwd: …]" around the whole subject: unwrap and start again from (2).
    if (/^\[fwd:/i.test(text) && text.endsWith(']')) {
      text = text.slice(5, -1);
      continue;
    }
    return text;
  }
}
