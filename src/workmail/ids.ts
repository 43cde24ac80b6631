// WorkMail identifiers as WorkMail shapes them: organizations `m-` + 32 hex digits, resources
// `r-` + 32 hex digits, users and groups a UUID (WorkMail's own are UUIDs or Active Directory SIDs).
import { randomBytes, randomUUID } from 'node:crypto';

export const newOrganizationId = (): string => 'm-' + randomBytes(16).toString('hex');
export const newResourceId = (): string => 'r-' + randomBytes(16).toString('hex');
export const newDirectoryEntityId = (): string => randomUUID();
export const newDirectoryId = (): string => 'd-' + randomBytes(5).toString('hex');

export const organizationArn = (region: string, accountId: string, organizationId: string): string =>
  `arn:aws:workmail:${region}:${accountId}:organization/${organizationId}`;
