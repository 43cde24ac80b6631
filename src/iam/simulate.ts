// The IAM policy simulator (SimulatePrincipalPolicy, SimulateCustomPolicy) on the same engine
// that authorizes real requests. As AWS does, a simulation sees only the context keys the
// caller supplies in ContextEntries, never the caller's own request context, and it reports
// one result per action: the most restrictive decision over the resources asked about, with
// each resource's own decision under ResourceSpecificResults.
import { InvalidInput, NoSuchEntity, PolicyEvaluationError } from '../errors.ts';
import type { Db } from '../store/database.ts';
import { compileSources, managedPolicyDocument, policySourcesForGroup, policySourcesForUser, type PolicySource } from './effective-policies.ts';
import {
  MalformedPolicyError,
  RequestContext,
  compilePolicy,
  evaluate,
  parsePolicyDocument,
  type CompiledPolicy,
  type Decision,
  type Evaluation,
  type MatchedStatement,
} from './policy/index.ts';

export interface ContextEntryInput {
  ContextKeyName?: string;
  ContextKeyValues?: string[];
  ContextKeyType?: string;
}

const SCALAR_CHECKS: Record<string, (value: string) => boolean> = {
  string: () => true,
  numeric: (v) => v.trim() !== '' && !Number.isNaN(Number(v)),
  boolean: (v) => /^(true|false)$/i.test(v),
  ip: (v) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(v),
  date: (v) => /^\d+$/.test(v) || !Number.isNaN(Date.parse(v)),
  binary: (v) => /^[A-Za-z0-9+/]*={0,2}$/.test(v),
};

/** The request context a simulation evaluates against, built from ContextEntries alone. */
export function contextFromEntries(entries: readonly ContextEntryInput[] = []): RequestContext {
  const context = new RequestContext();
  for (const entry of entries) {
    const key = entry.ContextKeyName;
    if (!key) throw new InvalidInput('A context entry must have a ContextKeyName.');
    const type = entry.ContextKeyType ?? 'string';
    const isList = type.endsWith('List');
    const check = SCALAR_CHECKS[isList ? type.slice(0, -4) : type];
    if (!check) throw new InvalidInput(`Context key ${key} has an unknown type ${type}.`);
    const values = entry.ContextKeyValues ?? [];
    for (const value of values) {
      if (!check(value)) throw new InvalidInput(`Context key ${key} of type ${type} has a value that is not a valid ${type.replace(/List$/, '')}: ${value}`);
    }
    const normalised = type.startsWith('boolean') ? values.map((v) => v.toLowerCase()) : values;
    // A list type is multivalued even with one value; the single-valued types take one.
    context.set(key, isList || normalised.length > 1 ? normalised : (normalised[0] ?? ''));
  }
  return context;
}

/** Compiles policies given as text in the request, reporting a bad one by its place in the list. */
export function compileInputPolicies(documents: readonly string[] | undefined, listName: string): CompiledPolicy[] {
  return (documents ?? []).map((document, index) => compileInput(document, `${listName}.${index + 1}`, 'identity'));
}

export function compileResourcePolicy(document: string): CompiledPolicy {
  return compileInput(document, 'ResourcePolicy', 'resource');
}

function compileInput(document: string, id: string, kind: 'identity' | 'resource'): CompiledPolicy {
  try {
    return compilePolicy(parsePolicyDocument(document, { kind }), { id, type: kind === 'resource' ? 'resource' : 'none' });
  } catch (error) {
    if (error instanceof MalformedPolicyError) throw new InvalidInput(`${id} is not a valid policy: ${error.message}`);
    throw error;
  }
}

export interface SimulatedPrincipal {
  policies: CompiledPolicy[];
  /** The stored permissions boundary of a user, if it has one. */
  boundary: CompiledPolicy[] | undefined;
  /** The ARN to use as the caller when none is given (users only). */
  callerArn: string | undefined;
  accountId: string;
}

const PRINCIPAL_ARN = /^arn:aws:iam::(\d{12}):(user|group|role)(\/(?:[^/]+\/)*)([^/]+)$/;

/** The policies of the user or group `arn` names, as SimulatePrincipalPolicy includes them. */
export async function loadSimulatedPrincipal(db: Db, accountId: string, arn: string): Promise<SimulatedPrincipal> {
  const match = PRINCIPAL_ARN.exec(arn);
  if (!match) throw new InvalidInput(`Invalid ARN: ${arn} is not the ARN of a user, group or role.`);
  const [, account, type, path, name] = match as unknown as [string, string, 'user' | 'group' | 'role', string, string];
  const notFound = () => new NoSuchEntity(`The ${type} with name ${name} cannot be found.`);
  if (account !== accountId || type === 'role') throw notFound();
  const table = type === 'user' ? 'users' : 'groups';
  const row = await db
    .selectFrom(table)
    .select(['id', 'path'])
    .where('account_id', '=', accountId)
    .where('name_lower', '=', name.toLowerCase())
    .executeTakeFirst();
  if (!row || row.path !== path) throw notFound();
  if (type === 'group') {
    return { policies: compileStored(await policySourcesForGroup(db, row.id)), boundary: undefined, callerArn: undefined, accountId };
  }
  const user = await db.selectFrom('users').select('permissions_boundary').where('id', '=', row.id).executeTakeFirstOrThrow();
  let boundary: CompiledPolicy[] | undefined;
  if (user.permissions_boundary) {
    const document = await managedPolicyDocument(db, user.permissions_boundary);
    const boundaryName = user.permissions_boundary.slice(user.permissions_boundary.lastIndexOf('/') + 1);
    const source: PolicySource = {
      id: boundaryName,
      type: user.permissions_boundary.startsWith('arn:aws:iam::aws:') ? 'aws-managed' : 'user-managed',
      document: document ?? '{"Version":"2012-10-17","Statement":[]}',
    };
    boundary = compileStored([source]);
  }
  return { policies: compileStored(await policySourcesForUser(db, row.id)), boundary, callerArn: arn, accountId };
}

// Stored documents were checked when they were written; a later, stricter grammar must not
// make a principal impossible to simulate, so such a document answers PolicyEvaluation.
function compileStored(sources: PolicySource[]): CompiledPolicy[] {
  try {
    return compileSources(sources);
  } catch (error) {
    if (error instanceof MalformedPolicyError) throw new PolicyEvaluationError(`A stored policy could not be evaluated: ${error.message}`);
    throw error;
  }
}

export interface SimulationRequest {
  actions: readonly string[];
  /** Absent: the actions are simulated on "*". */
  resources: readonly string[] | undefined;
  context: RequestContext;
  identityPolicies: readonly CompiledPolicy[];
  /** Permissions boundary: when present, it must allow too. */
  boundaryPolicies: readonly CompiledPolicy[] | undefined;
  resourcePolicy: CompiledPolicy | undefined;
  /** The principal a resource policy's Principal element is matched against. */
  callerArn: string | undefined;
  /** A resource owned by another account needs both the identity and the resource policy. */
  crossAccount: boolean;
}

export interface SimulatedStatement {
  SourcePolicyId: string;
  SourcePolicyType: string;
  StartPosition: { Line: number; Column: number };
  EndPosition: { Line: number; Column: number };
}

export interface ResourceSpecificResult {
  EvalResourceName: string;
  EvalResourceDecision: Decision;
  MatchedStatements: SimulatedStatement[];
  MissingContextValues: string[];
  PermissionsBoundaryDecisionDetail?: { AllowedByPermissionsBoundary: boolean };
}

export interface SimulationResult {
  EvalActionName: string;
  EvalResourceName: string;
  EvalDecision: Decision;
  MatchedStatements: SimulatedStatement[];
  MissingContextValues: string[];
  PermissionsBoundaryDecisionDetail?: { AllowedByPermissionsBoundary: boolean };
  ResourceSpecificResults?: ResourceSpecificResult[];
}

interface Outcome {
  decision: Decision;
  matched: MatchedStatement[];
  missing: string[];
  allowedByBoundary: boolean | undefined;
}

function decide(request: SimulationRequest, action: string, resource: string): Outcome {
  const policyRequest = { action, resource, context: request.context, principalArn: request.callerArn };
  const identity = evaluate(policyRequest, request.identityPolicies);
  const onResource: Evaluation | undefined = request.resourcePolicy ? evaluate(policyRequest, [request.resourcePolicy]) : undefined;
  const boundary: Evaluation | undefined = request.boundaryPolicies ? evaluate(policyRequest, request.boundaryPolicies) : undefined;
  const all = [identity, onResource, boundary].filter((e): e is Evaluation => e !== undefined);
  const missing = union(all.flatMap((e) => e.missingContextValues), (key) => key.toLowerCase());
  const allowedByBoundary = boundary ? boundary.decision === 'allowed' : undefined;
  const denies = all.filter((e) => e.decision === 'explicitDeny');
  if (denies.length) return { decision: 'explicitDeny', matched: denies.flatMap((e) => e.matchedStatements), missing, allowedByBoundary };
  const identityAllows = identity.decision === 'allowed';
  const resourceAllows = onResource?.decision === 'allowed';
  const granted = request.crossAccount ? identityAllows && resourceAllows : identityAllows || resourceAllows;
  if (granted && allowedByBoundary !== false) {
    const matched = [...(identityAllows ? identity.matchedStatements : []), ...(resourceAllows ? onResource!.matchedStatements : [])];
    return { decision: 'allowed', matched, missing, allowedByBoundary };
  }
  return { decision: 'implicitDeny', matched: [], missing, allowedByBoundary };
}

function union<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = keyOf(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

const statementKey = (s: MatchedStatement) => `${s.sourcePolicyType}\u0000${s.sourcePolicyId}\u0000${s.start.line}:${s.start.column}`;

function toWire(statements: readonly MatchedStatement[]): SimulatedStatement[] {
  return union(statements, statementKey).map((s) => ({
    SourcePolicyId: s.sourcePolicyId,
    SourcePolicyType: s.sourcePolicyType,
    StartPosition: { Line: s.start.line, Column: s.start.column },
    EndPosition: { Line: s.end.line, Column: s.end.column },
  }));
}

const RESTRICTIVENESS: Record<Decision, number> = { allowed: 0, implicitDeny: 1, explicitDeny: 2 };

const boundaryDetail = (allowed: boolean | undefined) => (allowed === undefined ? undefined : { AllowedByPermissionsBoundary: allowed });

export function simulate(request: SimulationRequest): SimulationResult[] {
  return request.actions.map((action) => {
    if (request.resources === undefined) {
      const outcome = decide(request, action, '*');
      return {
        EvalActionName: action,
        EvalResourceName: '*',
        EvalDecision: outcome.decision,
        MatchedStatements: toWire(outcome.matched),
        MissingContextValues: outcome.missing,
        PermissionsBoundaryDecisionDetail: boundaryDetail(outcome.allowedByBoundary),
      };
    }
    const perResource = request.resources.map((resource) => ({ resource, outcome: decide(request, action, resource) }));
    const worst = perResource.reduce((a, b) => (RESTRICTIVENESS[b.outcome.decision] > RESTRICTIVENESS[a.outcome.decision] ? b : a));
    const decisive = perResource.filter((r) => r.outcome.decision === worst.outcome.decision);
    return {
      EvalActionName: action,
      EvalResourceName: request.resources.length === 1 ? request.resources[0]! : '*',
      EvalDecision: worst.outcome.decision,
      MatchedStatements: toWire(decisive.flatMap((r) => r.outcome.matched)),
      MissingContextValues: union(perResource.flatMap((r) => r.outcome.missing), (key) => key.toLowerCase()),
      PermissionsBoundaryDecisionDetail: boundaryDetail(worst.outcome.allowedByBoundary),
      ResourceSpecificResults: perResource.map(({ resource, outcome }) => ({
        EvalResourceName: resource,
        EvalResourceDecision: outcome.decision,
        MatchedStatements: toWire(outcome.matched),
        MissingContextValues: outcome.missing,
        PermissionsBoundaryDecisionDetail: boundaryDetail(outcome.allowedByBoundary),
      })),
    };
  });
}

/** The 12-digit account of a ResourceOwner (an account id or an ARN holding one). */
export function ownerAccount(resourceOwner: string | undefined): string | undefined {
  if (resourceOwner === undefined) return undefined;
  const match = /(?:^|:)(\d{12})(?::|$|-)/.exec(resourceOwner);
  if (!match) throw new InvalidInput(`ResourceOwner ${resourceOwner} does not name an account.`);
  return match[1];
}
