// The access control decision, as WorkMail makes it: a rule matches a request when every
// condition it has holds (the address in IpRanges and not in NotIpRanges, the protocol in
// Actions and not in NotActions, the user in UserIds and not in NotUserIds, the impersonation
// role likewise); a matching DENY rule wins over any ALLOW; and when no rule matches, access is
// denied — WorkMail's admin guide: "If an administrator deletes all access control rules for an
// organization, Amazon WorkMail blocks all access". Organizations are open by default only
// because each starts with an allow-all rule named "default" (see access-control-rules.ts).
//
// Pure: the API (GetAccessControlEffect) and the SMTP/IMAP listeners call it with the rules
// they loaded. Addresses may be IPv4 or IPv6 (an IPv4-mapped IPv6 client counts as the IPv4
// address it carries), although WorkMail's API only takes IPv4 ranges.
import { cidrContains, parseCidr, parseIp, type Cidr } from '../net/cidr.ts';

/** The protocols WorkMail's access control rules know, spelled as its API spells them. */
export const ACCESS_CONTROL_ACTIONS = ['ActiveSync', 'AutoDiscover', 'EWS', 'IMAP', 'SMTP', 'WindowsOutlook', 'WebMail'] as const;
export type AccessControlAction = (typeof ACCESS_CONTROL_ACTIONS)[number];

export const isAccessControlAction = (value: string): value is AccessControlAction =>
  (ACCESS_CONTROL_ACTIONS as readonly string[]).includes(value);

export type Effect = 'ALLOW' | 'DENY';

export interface AccessControlConditions {
  ipRanges?: string[];
  notIpRanges?: string[];
  actions?: string[];
  notActions?: string[];
  userIds?: string[];
  notUserIds?: string[];
  impersonationRoleIds?: string[];
  notImpersonationRoleIds?: string[];
}

export interface AccessControlRule extends AccessControlConditions {
  name: string;
  effect: Effect;
}

export interface AccessRequest {
  ipAddress: string;
  action: string;
  /** The user acting, when a user signs in. */
  userId?: string;
  /** The impersonation role acting, when a tool uses an impersonation token. */
  impersonationRoleId?: string;
}

export interface AccessDecision {
  effect: Effect;
  /** The names of the rules that produced the effect, in the order the rules were given. */
  matchedRules: string[];
}

const present = (list: readonly string[] | undefined): list is readonly string[] => list !== undefined && list.length > 0;

/** An absent value (no user on an impersonated request) is in no list, so only Not… conditions can hold for it. */
function listCondition(value: string | undefined, inList: readonly string[] | undefined, notInList: readonly string[] | undefined): boolean {
  if (present(inList) && (value === undefined || !inList.includes(value))) return false;
  if (present(notInList) && value !== undefined && notInList.includes(value)) return false;
  return true;
}

const cidrCache = new Map<string, Cidr | null>();

function parsedCidr(text: string): Cidr | null {
  let cidr = cidrCache.get(text);
  if (cidr === undefined) {
    cidr = parseCidr(text) ?? null;
    if (cidrCache.size > 10_000) cidrCache.clear();
    cidrCache.set(text, cidr);
  }
  return cidr;
}

function inAnyRange(ip: ReturnType<typeof parseIp>, ranges: readonly string[]): boolean {
  if (!ip) return false;
  return ranges.some((range) => {
    const cidr = parsedCidr(range);
    return cidr !== null && cidrContains(cidr, ip);
  });
}

export function ruleMatches(rule: AccessControlConditions, request: AccessRequest): boolean {
  const ip = parseIp(request.ipAddress);
  if (present(rule.ipRanges) && !inAnyRange(ip, rule.ipRanges)) return false;
  if (present(rule.notIpRanges) && inAnyRange(ip, rule.notIpRanges)) return false;
  return (
    listCondition(request.action, rule.actions, rule.notActions) &&
    listCondition(request.userId, rule.userIds, rule.notUserIds) &&
    listCondition(request.impersonationRoleId, rule.impersonationRoleIds, rule.notImpersonationRoleIds)
  );
}

/** DENY when a DENY rule matches or when nothing matches; ALLOW when only ALLOW rules match. */
export function accessControlEffect(rules: readonly AccessControlRule[], request: AccessRequest): AccessDecision {
  const matching = rules.filter((rule) => ruleMatches(rule, request));
  const denying = matching.filter((rule) => rule.effect === 'DENY');
  if (denying.length > 0) return { effect: 'DENY', matchedRules: denying.map((rule) => rule.name) };
  if (matching.length > 0) return { effect: 'ALLOW', matchedRules: matching.map((rule) => rule.name) };
  return { effect: 'DENY', matchedRules: [] };
}
