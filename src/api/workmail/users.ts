// Users: CreateUser, DescribeUser, ListUsers, UpdateUser, DeleteUser, ResetPassword; and what
// applies to any entity: RegisterToWorkMail, DeregisterFromWorkMail, UpdatePrimaryEmailAddress,
// DescribeEntity; the user's mailbox: GetMailboxDetails, UpdateMailboxQuota.
import { bytesToMb, mailboxBytes } from '../../mail/store/mailboxes.ts';
import { findEntityByEmail } from '../../workmail/entities.ts';
import { EntityNotFound } from '../../workmail/errors.ts';
import { tokenRequest } from '../../workmail/pages.ts';
import {
  deregisterFromWorkMail,
  mailboxDetails,
  registerToWorkMail,
  updateMailboxQuota,
  updatePrimaryEmailAddress,
} from '../../workmail/registration.ts';
import {
  PROFILE_FIELDS,
  createUser,
  deleteUser,
  describeUser,
  listUsers,
  resetPassword,
  updateUser,
  userAttributes,
  type UserProfile,
} from '../../workmail/users.ts';
import type { WmEntitiesTable } from '../../store/schema.ts';
import type { ApiOperation, Input } from '../operation.ts';
import { wmOrg } from './operation.ts';

const date = (iso: string | null | undefined): Date | undefined => (iso ? new Date(iso) : undefined);

const profileOf = (input: Input): UserProfile => Object.fromEntries(PROFILE_FIELDS.map((field) => [field, input[field] as string | undefined]));

/** WorkMail's `User` summary, as ListUsers returns it. */
const summary = (user: WmEntitiesTable) => ({
  Id: user.id,
  Email: user.email ?? undefined,
  Name: user.name,
  DisplayName: user.display_name ?? undefined,
  State: user.state,
  UserRole: user.role ?? undefined,
  EnabledDate: date(user.enabled_at),
  DisabledDate: date(user.disabled_at),
  IdentityProviderUserId: userAttributes(user).IdentityProviderUserId,
});

function describe(user: WmEntitiesTable) {
  const { mailboxProvisionedAt, mailboxDeprovisionedAt, ...profile } = userAttributes(user);
  return {
    UserId: user.id,
    Name: user.name,
    Email: user.email ?? undefined,
    DisplayName: user.display_name ?? undefined,
    State: user.state,
    UserRole: user.role ?? undefined,
    EnabledDate: date(user.enabled_at),
    DisabledDate: date(user.disabled_at),
    MailboxProvisionedDate: date(mailboxProvisionedAt),
    MailboxDeprovisionedDate: date(mailboxDeprovisionedAt),
    HiddenFromGlobalAddressList: user.hidden === 1,
    ...profile,
  };
}

/** Every handler here acts inside one organization, which must exist and be Active. */
export const usersOperations: ApiOperation[] = [
  wmOrg('CreateUser', async (input, ctx) => {
    const user = await createUser(
      ctx.db,
      input.OrganizationId,
      {
        name: input.Name,
        displayName: input.DisplayName,
        password: input.Password,
        role: input.Role,
        hidden: input.HiddenFromGlobalAddressList ?? false,
        profile: { FirstName: input.FirstName, LastName: input.LastName, IdentityProviderUserId: input.IdentityProviderUserId },
      },
      ctx.facts.now,
    );
    return { UserId: user.id };
  }),
  wmOrg('DescribeUser', async (input, ctx) => {
    return describe(await describeUser(ctx.db, input.OrganizationId, input.UserId));
  }),
  wmOrg('ListUsers', async (input, ctx) => {
    const filters = input.Filters ?? {};
    const page = await listUsers(
      ctx.db,
      input.OrganizationId,
      {
        usernamePrefix: filters.UsernamePrefix,
        displayNamePrefix: filters.DisplayNamePrefix,
        primaryEmailPrefix: filters.PrimaryEmailPrefix,
        state: filters.State,
        identityProviderUserIdPrefix: filters.IdentityProviderUserIdPrefix,
      },
      tokenRequest(input),
    );
    return { Users: page.items.map(summary), NextToken: page.nextToken };
  }),
  wmOrg('UpdateUser', async (input, ctx) => {
    await updateUser(ctx.db, input.OrganizationId, input.UserId, {
      role: input.Role,
      displayName: input.DisplayName,
      hidden: input.HiddenFromGlobalAddressList,
      profile: profileOf(input),
    });
    return {};
  }),
  wmOrg('DeleteUser', async (input, ctx) => {
    await deleteUser(ctx.db, input.OrganizationId, input.UserId, ctx.facts.now);
    return {};
  }),
  wmOrg('ResetPassword', async (input, ctx) => {
    await resetPassword(ctx.db, input.OrganizationId, input.UserId, input.Password);
    return {};
  }),
  wmOrg('RegisterToWorkMail', async (input, ctx) => {
    await registerToWorkMail(ctx.db, input.OrganizationId, input.EntityId, input.Email, ctx.facts.now);
    return {};
  }),
  wmOrg('DeregisterFromWorkMail', async (input, ctx) => {
    await deregisterFromWorkMail(ctx.db, input.OrganizationId, input.EntityId, ctx.facts.now);
    return {};
  }),
  wmOrg('UpdatePrimaryEmailAddress', async (input, ctx) => {
    await updatePrimaryEmailAddress(ctx.db, input.OrganizationId, input.EntityId, input.Email);
    return {};
  }),
  wmOrg('DescribeEntity', async (input, ctx) => {
    const entity = await findEntityByEmail(ctx.db, input.OrganizationId, input.Email);
    if (!entity || entity.state === 'DELETED') throw new EntityNotFound(`No user, group or resource has the address ${input.Email} in organization ${input.OrganizationId}.`);
    return { EntityId: entity.id, Name: entity.name, Type: entity.type };
  }),
  // The quota is the directory's (workmail/), the size the mailbox store's (mail/): composed
  // here, since workmail/ never imports mail/.
  wmOrg('GetMailboxDetails', async (input, ctx) => {
    const mailbox = await mailboxDetails(ctx.db, input.OrganizationId, input.UserId);
    return { MailboxQuota: mailbox.quotaMb, MailboxSize: bytesToMb(await mailboxBytes(ctx.db, mailbox.userId)) };
  }),
  wmOrg('UpdateMailboxQuota', async (input, ctx) => {
    await updateMailboxQuota(ctx.db, input.OrganizationId, input.UserId, input.MailboxQuota);
    return {};
  }),
];
