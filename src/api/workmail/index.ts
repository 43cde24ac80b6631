// The WorkMail operation table (AWS JSON 1.1, X-Amz-Target WorkMailService.<Operation>).
// Every operation of the model is routed: the built ones to their handlers, the others to
// WorkMail's own refusal, UnsupportedOperationException, after authentication.
import { loadModel } from '../../aws/model.ts';
import { UnsupportedOperation } from '../../workmail/errors.ts';
import { operation, type ApiOperation } from '../operation.ts';
import { accessRulesOperations } from './access-rules.ts';
import { aliasesOperations } from './aliases.ts';
import { availabilityOperations } from './availability.ts';
import { domainsOperations } from './domains.ts';
import { groupsOperations } from './groups.ts';
import { impersonationOperations } from './impersonation.ts';
import { mobileOperations } from './mobile.ts';
import { organizationOperations } from './organizations.ts';
import { permissionsOperations } from './permissions.ts';
import { resourcesOperations } from './resources.ts';
import { settingsOperations } from './settings.ts';
import { usersOperations } from './users.ts';

const built: ApiOperation[] = [
  ...organizationOperations,
  ...usersOperations,
  ...groupsOperations,
  ...resourcesOperations,
  ...aliasesOperations,
  ...domainsOperations,
  ...permissionsOperations,
  ...accessRulesOperations,
  ...mobileOperations,
  ...impersonationOperations,
  ...settingsOperations,
  ...availabilityOperations,
];

/** WorkMail operations that are built; every other operation of the model answers UnsupportedOperationException. */
export const implementedWorkmailOperations: ReadonlySet<string> = new Set(built.map((op) => op.name));

const unsupported = (name: string): ApiOperation =>
  operation(
    'workmail',
    name,
    () => '*',
    async () => {
      throw new UnsupportedOperation(`${name} is not supported by this Godwit server yet.`);
    },
    { action: null },
  );

export const workmailOperations: ApiOperation[] = [
  ...built,
  ...Object.keys(loadModel('workmail').operations)
    .filter((name) => !implementedWorkmailOperations.has(name))
    .map(unsupported),
];
