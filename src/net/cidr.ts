// IP addresses and CIDR blocks for IpAddress / NotIpAddress. Addresses are four 32-bit words
// so a match is four masked compares. An IPv4-mapped IPv6 address (::ffff:a.b.c.d, which is
// what Node reports for IPv4 clients on a dual-stack socket) is the IPv4 address it carries,
// and a CIDR inside ::ffff:0:0/96 is the IPv4 block it describes; otherwise the families stay
// apart, so "::/0" does not admit IPv4 clients, as in AWS.

export interface IpAddress {
  readonly family: 4 | 6;
  /** IPv4 uses words[0] only. */
  readonly words: readonly [number, number, number, number];
}

export interface Cidr extends IpAddress {
  readonly masks: readonly [number, number, number, number];
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEXTET = /^[0-9A-Fa-f]{1,4}$/;

function parseIpv4Word(text: string): number | undefined {
  const m = IPV4.exec(text);
  if (!m) return undefined;
  let word = 0;
  for (let i = 1; i <= 4; i++) {
    const part = m[i]!;
    // Leading zeros are refused: some parsers read them as octal, so their meaning is unclear.
    if (part.length > 1 && part[0] === '0') return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    word = word * 256 + n;
  }
  return word >>> 0;
}

function parseIpv6Hextets(text: string): number[] | undefined {
  if (text.includes('%')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseSide = (side: string, allowV4Tail: boolean): number[] | undefined => {
    if (side === '') return [];
    const groups = side.split(':');
    const out: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (allowV4Tail && i === groups.length - 1 && g.includes('.')) {
        const w = parseIpv4Word(g);
        if (w === undefined) return undefined;
        out.push(w >>> 16, w & 0xffff);
      } else if (HEXTET.test(g)) {
        out.push(parseInt(g, 16));
      } else {
        return undefined;
      }
    }
    return out;
  };
  if (halves.length === 1) {
    const all = parseSide(halves[0]!, true);
    return all && all.length === 8 ? all : undefined;
  }
  const head = parseSide(halves[0]!, false);
  const tail = parseSide(halves[1]!, true);
  if (!head || !tail || head.length + tail.length > 7) return undefined;
  return [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
}

function isMapped(h: readonly number[]): boolean {
  return h[0] === 0 && h[1] === 0 && h[2] === 0 && h[3] === 0 && h[4] === 0 && h[5] === 0xffff;
}

/** Parses an IPv4 or IPv6 address; IPv4-mapped IPv6 comes back as IPv4. */
export function parseIp(text: string): IpAddress | undefined {
  if (!text.includes(':')) {
    const w = parseIpv4Word(text);
    return w === undefined ? undefined : { family: 4, words: [w, 0, 0, 0] };
  }
  const h = parseIpv6Hextets(text);
  if (!h) return undefined;
  if (isMapped(h)) return { family: 4, words: [((h[6]! << 16) | h[7]!) >>> 0, 0, 0, 0] };
  return {
    family: 6,
    words: [
      ((h[0]! << 16) | h[1]!) >>> 0,
      ((h[2]! << 16) | h[3]!) >>> 0,
      ((h[4]! << 16) | h[5]!) >>> 0,
      ((h[6]! << 16) | h[7]!) >>> 0,
    ],
  };
}

function maskWord(bits: number): number {
  if (bits >= 32) return 0xffffffff;
  if (bits <= 0) return 0;
  return (0xffffffff << (32 - bits)) >>> 0;
}

/** Parses "a.b.c.d/n", "x::y/n" or a bare address (a /32 or /128). */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const isV6Text = addrText.includes(':');
  let prefix: number;
  if (slash < 0) {
    prefix = isV6Text ? 128 : 32;
  } else {
    const p = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p)) return undefined;
    prefix = Number(p);
  }
  if (prefix > (isV6Text ? 128 : 32)) return undefined;
  let family: 4 | 6;
  let words: [number, number, number, number];
  if (!isV6Text) {
    const w = parseIpv4Word(addrText);
    if (w === undefined) return undefined;
    family = 4;
    words = [w, 0, 0, 0];
  } else {
    const h = parseIpv6Hextets(addrText);
    if (!h) return undefined;
    if (prefix >= 96 && isMapped(h)) {
      family = 4;
      words = [((h[6]! << 16) | h[7]!) >>> 0, 0, 0, 0];
      prefix -= 96;
    } else {
      family = 6;
      words = [((h[0]! << 16) | h[1]!) >>> 0, ((h[2]! << 16) | h[3]!) >>> 0, ((h[4]! << 16) | h[5]!) >>> 0, ((h[6]! << 16) | h[7]!) >>> 0];
    }
  }
  const masks: [number, number, number, number] = [
    maskWord(prefix),
    maskWord(prefix - 32),
    maskWord(prefix - 64),
    maskWord(prefix - 96),
  ];
  // Host bits set in the block ("10.1.2.3/8") are ignored, as in AWS.
  for (let i = 0; i < 4; i++) words[i] = (words[i]! & masks[i]!) >>> 0;
  return { family, words, masks };
}

export function cidrContains(block: Cidr, ip: IpAddress): boolean {
  if (block.family !== ip.family) return false;
  const w = ip.words;
  const b = block.words;
  const m = block.masks;
  return (
    ((w[0] & m[0]) >>> 0) === b[0] &&
    ((w[1] & m[1]) >>> 0) === b[1] &&
    ((w[2] & m[2]) >>> 0) === b[2] &&
    ((w[3] & m[3]) >>> 0) === b[3]
  );
}
