// Decisions per second of Godwit's policy engine against @cloud-copilot/iam-simulate on the
// same policies and requests, and a check that both decide every request the same way.
// Run from the repository root:
//   npm install --prefix bench/policy
//   node --import tsx bench/policy/run.ts
// iam-simulate is AGPL: it lives only in this folder's own package, never in the root one.

import { cpus } from 'node:os';
import { runSimulation, type Simulation } from '@cloud-copilot/iam-simulate';
import {
  compilePolicy,
  evaluate,
  parsePolicyDocument,
  RequestContext,
  type CompiledPolicy,
  type Decision,
} from '../../src/iam/policy/index.ts';

const ACCOUNT = '123456789012';
const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:user/alice`;
const POLICIES = 10;
const STATEMENTS = 10;
const REQUESTS = 1000;

// A fixed seed keeps the workload identical from run to run (mulberry32).
let seed = 0x5eed1234;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

// Real actions with real resource types: iam-simulate validates both against AWS's data.
const WORKMAIL_ACTIONS = [
  'ListUsers', 'DescribeUser', 'CreateUser', 'DeleteUser', 'ListGroups', 'DescribeGroup',
  'CreateGroup', 'GetMailboxDetails', 'ListAliases', 'CreateAlias', 'ResetPassword', 'ListResources',
];
const IAM_USER_ACTIONS = ['GetUser', 'CreateUser', 'DeleteUser', 'ListAccessKeys', 'CreateAccessKey', 'ChangePassword', 'UpdateUser', 'TagUser'];
const ORGS = ['m-1a2b3c', 'm-1a9f00', 'm-77aa01', 'm-beef42', 'm-c0ffee'];
const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2'];
const USERS = ['team-a/alice', 'team-a/bob', 'team-b/carol', 'ops/dave', 'erin'];
const TEAMS = ['eng', 'engineering', 'ops', 'sales', 'eng-ops'];
const NAMES = ['alice', 'anna', 'bob', 'carol'];
const IPS = ['203.0.113.7', '203.0.113.200', '198.51.100.9', '10.1.2.3', '192.0.2.55', '2001:db8::1', '2001:db8:ffff::9', '2001:db9::1'];

function actionPattern(): string {
  const r = random();
  if (r < 0.25) return `workmail:${pick(['List', 'Describe', 'Get', 'Create', 'Delete'])}*`;
  if (r < 0.45) return `workmail:${pick(WORKMAIL_ACTIONS)}`;
  if (r < 0.6) return `iam:${pick(['Get', 'List', 'Create', 'Update', 'Delete', 'Tag'])}*`;
  if (r < 0.75) return `iam:${pick(IAM_USER_ACTIONS)}`;
  if (r < 0.85) return `iam:*User`;
  return `workmail:*${pick(['User', 'Group', 'Alias'])}*`;
}

function resourcePattern(): string {
  const r = random();
  if (r < 0.35) return `arn:aws:workmail:${pick([...REGIONS, '*'])}:${ACCOUNT}:organization/${pick(ORGS).slice(0, 5)}*`;
  if (r < 0.5) return `arn:aws:workmail:*:*:organization/${pick(ORGS)}`;
  if (r < 0.75) return `arn:aws:iam::${ACCOUNT}:user/${pick(['team-a/*', 'team-b/*', 'ops/*', '*', 'erin'])}`;
  if (r < 0.96) return `arn:aws:iam::*:user/team-?/*`;
  return '*';
}

function condition(): Record<string, Record<string, string | string[]>> | undefined {
  const r = random();
  if (r < 0.3) return { IpAddress: { 'aws:SourceIp': [pick(['203.0.113.0/24', '198.51.100.0/25', '10.0.0.0/8']), pick(['2001:db8::/32', '192.0.2.0/28'])] } };
  if (r < 0.5) return { StringLike: { 'aws:PrincipalTag/team': pick(['eng*', 'ops', '*-ops', 's?les']) } };
  if (r < 0.65) return { StringLike: { 'aws:username': pick(['a*', 'b?b', '*o*']) }, IpAddress: { 'aws:SourceIp': '203.0.113.0/25' } };
  if (r < 0.75) return { NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/48'] } };
  if (r < 0.85) return { StringLike: { 'aws:PrincipalTag/team': pick(['eng', 'sales*']) }, NotIpAddress: { 'aws:SourceIp': '198.51.100.0/24' } };
  return undefined;
}

function statement(i: number): Record<string, unknown> {
  const deny = random() < 0.15;
  const actionCount = 1 + Math.floor(random() * 4);
  const st: Record<string, unknown> = {
    Sid: `S${i}`,
    Effect: deny ? 'Deny' : 'Allow',
    Action: Array.from({ length: actionCount }, actionPattern),
    Resource: Array.from({ length: 1 + Math.floor(random() * 2) }, resourcePattern),
  };
  const c = condition();
  if (c) st.Condition = c;
  return st;
}

const policyDocs = Array.from({ length: POLICIES }, () => ({
  Version: '2012-10-17',
  Statement: Array.from({ length: STATEMENTS }, (_, i) => statement(i)),
}));

interface BenchRequest {
  action: string;
  resource: string;
  context: Record<string, string>;
}

const requests: BenchRequest[] = Array.from({ length: REQUESTS }, () => {
  const wm = random() < 0.55;
  return {
    action: wm ? `workmail:${pick(WORKMAIL_ACTIONS)}` : `iam:${pick(IAM_USER_ACTIONS)}`,
    resource: wm
      ? `arn:aws:workmail:${pick(REGIONS)}:${ACCOUNT}:organization/${pick(ORGS)}`
      : `arn:aws:iam::${ACCOUNT}:user/${pick(USERS)}`,
    context: {
      'aws:SourceIp': pick(IPS),
      'aws:username': pick(NAMES),
      'aws:PrincipalTag/team': pick(TEAMS),
    },
  };
});

// Ours: compile once, as the server does when a policy is attached or changed.
const policyTexts = policyDocs.map((d) => JSON.stringify(d));
const compileAll = (): CompiledPolicy[] =>
  policyTexts.map((t, i) => compilePolicy(parsePolicyDocument(t), { id: `policy-${i}`, type: 'IAM Policy' }));
for (let i = 0; i < 50; i++) compileAll();
const compileStarted = process.hrtime.bigint();
for (let i = 0; i < 200; i++) compileAll();
const compileMicros = Number(process.hrtime.bigint() - compileStarted) / 1000 / 200;
const compiled = compileAll();
// The first decision per action fills each policy's action cache; measure that case too.
const coldStarted = process.hrtime.bigint();
const coldCompiled = compileAll();
for (const r of requests) evaluate({ action: r.action, resource: r.resource, context: RequestContext.from(r.context) }, coldCompiled);
const coldPerSecond = requests.length / (Number(process.hrtime.bigint() - coldStarted) / 1e9);
const prepared = requests.map((r) => ({
  action: r.action,
  resource: r.resource,
  context: RequestContext.from(r.context),
}));

const ours: Decision[] = prepared.map((r) => evaluate(r, compiled).decision);

/** Median of five half-second rounds: shared CI machines are noisy. */
function timeOurs(): number {
  const rounds: number[] = [];
  for (let round = 0; round < 5; round++) {
    let n = 0;
    const started = process.hrtime.bigint();
    while (process.hrtime.bigint() - started < 500_000_000n) {
      for (const r of prepared) evaluate(r, compiled);
      n += prepared.length;
    }
    rounds.push(n / (Number(process.hrtime.bigint() - started) / 1e9));
  }
  return rounds.sort((a, b) => a - b)[2]!;
}

const FROM_SIMULATE: Record<string, Decision> = {
  Allowed: 'allowed',
  ExplicitlyDenied: 'explicitDeny',
  ImplicitlyDenied: 'implicitDeny',
};

async function simulate(r: BenchRequest): Promise<Decision> {
  const simulation: Simulation = {
    request: {
      principal: PRINCIPAL,
      action: r.action,
      resource: { resource: r.resource, accountId: ACCOUNT },
      contextVariables: r.context,
    },
    identityPolicies: policyDocs.map((policy, i) => ({ name: `policy-${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
  };
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(`iam-simulate refused ${r.action}: ${result.errors.message}`);
  return FROM_SIMULATE[result.overallResult]!;
}

// Warm up both engines before timing.
for (let i = 0; i < 20; i++) for (const r of prepared) evaluate(r, compiled);
for (const r of requests.slice(0, 20)) await simulate(r);

const oursPerSecond = timeOurs();
const theirs: Decision[] = [];
const simStarted = process.hrtime.bigint();
for (const r of requests) theirs.push(await simulate(r));
const simPerSecond = requests.length / (Number(process.hrtime.bigint() - simStarted) / 1e9);

let mismatches = 0;
const counts: Record<Decision, number> = { allowed: 0, explicitDeny: 0, implicitDeny: 0 };
for (let i = 0; i < requests.length; i++) {
  counts[ours[i]!]++;
  if (ours[i] !== theirs[i]) {
    mismatches++;
    if (mismatches <= 10) console.log('mismatch', JSON.stringify(requests[i]), 'ours', ours[i], 'iam-simulate', theirs[i]);
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
console.log(`node ${process.version} on ${cpus()[0]?.model ?? 'unknown CPU'} (single thread)`);
console.log(`${POLICIES} policies x ${STATEMENTS} statements, ${REQUESTS} requests: ${counts.allowed} allowed, ${counts.explicitDeny} explicitDeny, ${counts.implicitDeny} implicitDeny`);
console.log(`engine                       decisions/s`);
console.log(`godwit                       ${fmt(oursPerSecond).padStart(11)}`);
console.log(`@cloud-copilot/iam-simulate  ${fmt(simPerSecond).padStart(11)}`);
console.log(`speed-up                     ${(oursPerSecond / simPerSecond).toFixed(0).padStart(10)}x`);
console.log(`godwit, first pass incl. compile and context building: ${fmt(coldPerSecond)} decisions/s`);
console.log(`godwit, parse + compile of the 10 policies: ${compileMicros.toFixed(0)} µs`);
console.log(`mismatches                   ${String(mismatches).padStart(11)}`);
if (mismatches > 0) process.exit(1);
