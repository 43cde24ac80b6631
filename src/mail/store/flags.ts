// IMAP system flags, kept as a bitmask on each message so that counting unseen messages or
// finding deleted ones is arithmetic on one column. Keywords live in mail_keywords.
const BITS = { '\\seen': 1, '\\answered': 2, '\\flagged': 4, '\\deleted': 8, '\\draft': 16 } as const;
const NAMES: Record<number, string> = { 1: '\\Seen', 2: '\\Answered', 4: '\\Flagged', 8: '\\Deleted', 16: '\\Draft' };

export const SEEN = 1;
export const DELETED = 8;

/** System flags to a mask, and whatever else (keywords) apart. */
export function splitFlags(flags: readonly string[]): { mask: number; keywords: string[] } {
  let mask = 0;
  const keywords: string[] = [];
  for (const flag of flags) {
    const bit = BITS[flag.toLowerCase() as keyof typeof BITS];
    if (bit) mask |= bit;
    else if (!flag.startsWith('\\')) keywords.push(flag);
  }
  return { mask, keywords: [...new Set(keywords)] };
}

export function flagNames(mask: number): string[] {
  return Object.entries(NAMES)
    .filter(([bit]) => mask & Number(bit))
    .map(([, name]) => name);
}
