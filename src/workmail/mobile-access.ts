// The mobile device access decision, as WorkMail makes it for Exchange ActiveSync devices: a
// rule matches a device when each of its conditions holds (the device's type, model, operating
// system and user agent in the rule's lists and not in its Not… lists); a matching DENY rule
// wins; with no matching rule access is denied — WorkMail's admin guide: "If you delete all the
// mobile device access rules for an organization, Amazon WorkMail blocks all mobile device
// access." (each organization starts with an allow-all default rule). A per-user, per-device
// override, when one exists, replaces the rules' result.
//
// Values compare exactly. A property the device did not report is in no list: a rule that
// lists values for it does not match, a rule that only excludes values does.
export type Effect = 'ALLOW' | 'DENY';

export interface DeviceConditions {
  deviceTypes?: string[];
  notDeviceTypes?: string[];
  deviceModels?: string[];
  notDeviceModels?: string[];
  deviceOperatingSystems?: string[];
  notDeviceOperatingSystems?: string[];
  deviceUserAgents?: string[];
  notDeviceUserAgents?: string[];
}

export interface MobileDeviceAccessRule extends DeviceConditions {
  id: string;
  name: string;
  effect: Effect;
}

export interface Device {
  deviceType?: string;
  deviceModel?: string;
  deviceOperatingSystem?: string;
  deviceUserAgent?: string;
}

export interface MobileAccessDecision {
  effect: Effect;
  /** The rules that produced the effect; empty when an override decided. */
  matchedRules: { id: string; name: string }[];
  /** True when a user's device override decided. */
  overridden: boolean;
}

const present = (list: readonly string[] | undefined): list is readonly string[] => list !== undefined && list.length > 0;

function holds(value: string | undefined, inList: readonly string[] | undefined, notInList: readonly string[] | undefined): boolean {
  if (present(inList) && (value === undefined || !inList.includes(value))) return false;
  if (present(notInList) && value !== undefined && notInList.includes(value)) return false;
  return true;
}

export function deviceRuleMatches(rule: DeviceConditions, device: Device): boolean {
  return (
    holds(device.deviceType, rule.deviceTypes, rule.notDeviceTypes) &&
    holds(device.deviceModel, rule.deviceModels, rule.notDeviceModels) &&
    holds(device.deviceOperatingSystem, rule.deviceOperatingSystems, rule.notDeviceOperatingSystems) &&
    holds(device.deviceUserAgent, rule.deviceUserAgents, rule.notDeviceUserAgents)
  );
}

/** The rules' verdict for a device (GetMobileDeviceAccessEffect). */
export function mobileDeviceAccessEffect(rules: readonly MobileDeviceAccessRule[], device: Device): MobileAccessDecision {
  const matching = rules.filter((rule) => deviceRuleMatches(rule, device));
  const denying = matching.filter((rule) => rule.effect === 'DENY');
  const producing = denying.length > 0 ? denying : matching;
  return {
    effect: denying.length === 0 && matching.length > 0 ? 'ALLOW' : 'DENY',
    matchedRules: producing.map((rule) => ({ id: rule.id, name: rule.name })),
    overridden: false,
  };
}

/** The verdict for a user's device: its override when there is one, else the rules'. */
export function mobileDeviceAccessDecision(
  rules: readonly MobileDeviceAccessRule[],
  device: Device,
  override: { effect: Effect } | undefined,
): MobileAccessDecision {
  if (override) return { effect: override.effect, matchedRules: [], overridden: true };
  return mobileDeviceAccessEffect(rules, device);
}
