// The request context: the condition keys and their values for one authorization request.
// IAM matches condition keys case-insensitively, so keys are stored lower-cased; values are
// stored as text, the form every condition operator starts from.

export type ContextScalar = string | number | boolean | Date;
export type ContextInput = ContextScalar | readonly ContextScalar[];

export interface ContextEntry {
  /** The key as the caller spelled it, for reports. */
  readonly key: string;
  readonly values: readonly string[];
  /** True when given as an array: a multivalued key, even with one element. */
  readonly multivalued: boolean;
}

function toText(v: ContextScalar): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return formatAwsTime(v);
}

/** ISO 8601 in UTC without milliseconds, the form AWS gives aws:CurrentTime. */
export function formatAwsTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export class RequestContext {
  private readonly entries = new Map<string, ContextEntry>();

  static from(values: Readonly<Record<string, ContextInput | undefined>> = {}): RequestContext {
    const ctx = new RequestContext();
    for (const [key, value] of Object.entries(values)) if (value !== undefined) ctx.set(key, value);
    return ctx;
  }

  set(key: string, value: ContextInput): this {
    const multivalued = Array.isArray(value);
    const values = multivalued ? (value as readonly ContextScalar[]).map(toText) : [toText(value as ContextScalar)];
    this.entries.set(key.toLowerCase(), { key, values, multivalued });
    return this;
  }

  delete(key: string): boolean {
    return this.entries.delete(key.toLowerCase());
  }

  /** Looks a key up case-insensitively. */
  get(key: string): ContextEntry | undefined {
    return this.entries.get(key.toLowerCase());
  }

  /** Hot-path lookup for callers that already lower-cased the key. */
  getLower(lowerKey: string): ContextEntry | undefined {
    return this.entries.get(lowerKey);
  }

  has(key: string): boolean {
    return this.entries.has(key.toLowerCase());
  }

  *[Symbol.iterator](): IterableIterator<ContextEntry> {
    yield* this.entries.values();
  }

  /** A copy the caller may extend (e.g. with iam:PassedToService) without touching this one. */
  clone(): RequestContext {
    const copy = new RequestContext();
    for (const [k, v] of this.entries) copy.entries.set(k, v);
    return copy;
  }
}

export interface GlobalContextInput {
  readonly sourceIp: string;
  readonly now: Date;
  readonly secureTransport: boolean;
  /** Only IAM users have aws:username; roles and the root user do not. */
  readonly username?: string;
  readonly userId: string;
  readonly principalArn: string;
  readonly principalAccount: string;
  readonly principalType: 'User' | 'Account' | 'AssumedRole' | 'FederatedUser';
  readonly principalTags?: Readonly<Record<string, string>>;
  readonly requestedRegion: string;
  /**
   * AWS leaves aws:MultiFactorAuthPresent out of the context for requests signed with
   * long-term access keys; pass undefined to get that behaviour.
   */
  readonly mfaPresent?: boolean;
}

/** The global condition keys the server fills for every request. */
export function buildGlobalContext(input: GlobalContextInput): RequestContext {
  const ctx = new RequestContext()
    .set('aws:SourceIp', input.sourceIp)
    .set('aws:CurrentTime', formatAwsTime(input.now))
    .set('aws:EpochTime', String(Math.floor(input.now.getTime() / 1000)))
    .set('aws:SecureTransport', input.secureTransport)
    .set('aws:userid', input.userId)
    .set('aws:PrincipalArn', input.principalArn)
    .set('aws:PrincipalAccount', input.principalAccount)
    .set('aws:PrincipalType', input.principalType)
    .set('aws:RequestedRegion', input.requestedRegion);
  if (input.username !== undefined) ctx.set('aws:username', input.username);
  if (input.mfaPresent !== undefined) ctx.set('aws:MultiFactorAuthPresent', input.mfaPresent);
  const tags = input.principalTags ?? {};
  const tagKeys = Object.keys(tags);
  for (const k of tagKeys) ctx.set(`aws:PrincipalTag/${k}`, tags[k]!);
  return ctx;
}
