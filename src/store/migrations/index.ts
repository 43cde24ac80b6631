// The numbered migrations, in order. Append; never edit one that has shipped.
import type { Migration } from 'kysely';
import * as iam from './001_iam.ts';
import * as workmail from './002_workmail.ts';
import * as workmailRules from './003_workmail_rules.ts';
import * as workmailSettings from './004_workmail_settings.ts';
import * as workmailDelegates from './005_workmail_delegates.ts';
import * as workmailDefaultRules from './006_workmail_default_rules.ts';
import * as mail from './007_mail.ts';
import * as outbound from './008_outbound.ts';
import * as imap from './009_imap.ts';

export const migrations: Record<string, Migration> = {
  '001_iam': iam,
  '002_workmail': workmail,
  '003_workmail_rules': workmailRules,
  '004_workmail_settings': workmailSettings,
  '005_workmail_delegates': workmailDelegates,
  '006_workmail_default_rules': workmailDefaultRules,
  '007_mail': mail,
  '008_outbound': outbound,
  '009_imap': imap,
};
