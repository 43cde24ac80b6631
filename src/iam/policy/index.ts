// The policy engine's public surface: parse and validate documents, compile them, evaluate
// requests, build the global request context, word denials, and the AWS managed policies.

export { MalformedPolicyError, PolicyGrammarError, PolicySyntaxError, type SourcePosition } from './errors.ts';
export { parseJson, type JsonValue, type JsonObject, type JsonArray, type JsonMember } from './json.ts';
export { parsePolicyDocument, validatePolicy, type ParsePolicyOptions } from './grammar.ts';
export { policyLengthWithoutWhitespace } from './size.ts';
export type {
  ConditionEntry,
  Effect,
  PolicyDocument,
  PolicyKind,
  PolicyStatement,
  PolicyVersion,
  PrincipalMap,
} from './types.ts';
export {
  compilePolicy,
  type CompiledPolicy,
  type CompiledStatement,
  type MatchedStatement,
  type PolicySource,
} from './compile.ts';
export { evaluate, type Decision, type Evaluation, type PolicyRequest } from './evaluate.ts';
export {
  RequestContext,
  buildGlobalContext,
  formatAwsTime,
  type ContextEntry,
  type ContextInput,
  type ContextScalar,
  type GlobalContextInput,
} from './context.ts';
export { isKnownConditionOperator } from './operators.ts';
export { describeDenial, type DenialOptions } from './describeDenial.ts';
export { awsManagedPolicies, findAwsManagedPolicy, type AwsManagedPolicy } from './managed/index.ts';
