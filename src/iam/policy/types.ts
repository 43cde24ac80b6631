// The shape of a policy document once it has passed the grammar: plain data that keeps the
// source positions the evaluator reports back (SimulatePrincipalPolicy's MatchedStatements).

import type { SourcePosition } from './errors.ts';

export type PolicyVersion = '2008-10-17' | '2012-10-17';
export type PolicyKind = 'identity' | 'resource';
export type Effect = 'Allow' | 'Deny';

export interface ConditionEntry {
  /** The operator exactly as written, e.g. `ForAnyValue:StringLikeIfExists`. */
  readonly operator: string;
  /** The condition key as written; keys compare case-insensitively. */
  readonly key: string;
  /** Values as text: numbers keep their written form, booleans become "true"/"false". */
  readonly values: readonly string[];
  readonly start: SourcePosition;
}

/**
 * `"*"` becomes `{ '*': ['*'] }`, so every principal element is a map from principal type
 * (AWS, Service, Federated, CanonicalUser) to identifiers.
 */
export type PrincipalMap = Readonly<Record<string, readonly string[]>>;

export interface PolicyStatement {
  readonly index: number;
  readonly sid?: string;
  readonly effect: Effect;
  readonly action?: readonly string[];
  readonly notAction?: readonly string[];
  readonly resource?: readonly string[];
  readonly notResource?: readonly string[];
  readonly principal?: PrincipalMap;
  readonly notPrincipal?: PrincipalMap;
  readonly conditions: readonly ConditionEntry[];
  readonly start: SourcePosition;
  readonly end: SourcePosition;
}

export interface PolicyDocument {
  readonly kind: PolicyKind;
  /** Absent when the document has no Version element (AWS then behaves as 2008-10-17). */
  readonly version?: PolicyVersion;
  readonly id?: string;
  readonly statements: readonly PolicyStatement[];
}
