// Sequence sets (RFC 3501 section 9: `1:*,5,9:7`): parsed once into ranges, then resolved
// against the mailbox's largest number, where `*` means that largest number and a range may be
// written high to low. Every walk is bounded by the mailbox, never by what the client wrote.

/** `*` before resolution. */
export const STAR = -1;

export interface SequenceRange {
  from: number;
  to: number;
}

export type SequenceSet = SequenceRange[];

export type SequenceParse = { ok: true; set: SequenceSet } | { ok: false; reason: string };

const NUMBER = /^[1-9]\d{0,9}$/;
const MAX_NUMBER = 0xffffffff;

function number(text: string): number | null {
  if (text === '*') return STAR;
  if (!NUMBER.test(text)) return null;
  const value = Number(text);
  return value <= MAX_NUMBER ? value : null;
}

export function parseSequenceSet(text: string, maxRanges: number): SequenceParse {
  const pieces = text.split(',');
  if (pieces.length > maxRanges) return { ok: false, reason: `a sequence set of more than ${maxRanges} ranges` };
  const set: SequenceSet = [];
  for (const piece of pieces) {
    const colon = piece.indexOf(':');
    const from = number(colon < 0 ? piece : piece.slice(0, colon));
    const to = colon < 0 ? from : number(piece.slice(colon + 1));
    if (from === null || to === null) return { ok: false, reason: `${JSON.stringify(piece.slice(0, 40))} is not a sequence number or range` };
    set.push({ from, to });
  }
  return { ok: true, set };
}

/**
 * The set's ranges within 1..largest, low to high, overlaps merged: what a command walks.
 * `*` becomes `largest`; an empty mailbox resolves to nothing.
 */
export function resolveSequenceSet(set: SequenceSet, largest: number): SequenceRange[] {
  if (largest <= 0) return [];
  const ranges = set
    .map(({ from, to }) => {
      const a = from === STAR ? largest : from;
      const b = to === STAR ? largest : to;
      return { from: Math.min(a, b), to: Math.min(Math.max(a, b), largest) };
    })
    .filter((range) => range.from <= range.to)
    .sort((x, y) => x.from - y.from);
  const merged: SequenceRange[] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range.from <= last.to + 1) last.to = Math.max(last.to, range.to);
    else merged.push({ ...range });
  }
  return merged;
}

/** Each number of the resolved set, low to high, each once. */
export function* expandSequenceSet(set: SequenceSet, largest: number): Generator<number> {
  for (const range of resolveSequenceSet(set, largest)) for (let n = range.from; n <= range.to; n++) yield n;
}

export function sequenceSetHas(set: SequenceSet, n: number, largest: number): boolean {
  return set.some(({ from, to }) => {
    const a = from === STAR ? largest : from;
    const b = to === STAR ? largest : to;
    return n >= Math.min(a, b) && n <= Math.max(a, b);
  });
}
