// Errors raised while reading a policy document. IAM answers both kinds with the same
// `MalformedPolicyDocument` error, so the edge only needs to catch the shared base class.

export interface SourcePosition {
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, counted in UTF-16 code units like every JS string index. */
  readonly column: number;
  /** 0-based offset into the policy text. */
  readonly offset: number;
}

export class MalformedPolicyError extends Error {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  /** The message without its position prefix. */
  readonly reason: string;

  constructor(reason: string, at: SourcePosition) {
    super(`line ${at.line}, column ${at.column}: ${reason}`);
    this.name = new.target.name;
    this.line = at.line;
    this.column = at.column;
    this.offset = at.offset;
    this.reason = reason;
  }
}

/** The text is not JSON as RFC 8259 defines it (or has duplicate keys, which AWS refuses). */
export class PolicySyntaxError extends MalformedPolicyError {}

/** The text is JSON but not an IAM policy (unknown element, bad Effect, malformed ARN …). */
export class PolicyGrammarError extends MalformedPolicyError {}
