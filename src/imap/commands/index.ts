// Every command the server knows, by name. A command of issue 8 not built yet is named in
// PLANNED so that a client hears "not implemented yet" rather than "unknown".
import { authenticate } from './authenticate.ts';
import { capability } from './capability.ts';
import type { CommandSpec } from './command.ts';
import { enable } from './enable.ts';
import { id } from './id.ts';
import { login } from './login.ts';
import { logout } from './logout.ts';
import { noop } from './noop.ts';
import { starttls } from './starttls.ts';

export const COMMANDS: ReadonlyMap<string, CommandSpec> = new Map(
  [capability, noop, logout, starttls, login, authenticate, id, enable].map((spec) => [spec.name, spec]),
);

export const PLANNED = new Set(
  'SELECT EXAMINE CREATE DELETE RENAME SUBSCRIBE UNSUBSCRIBE LIST LSUB NAMESPACE STATUS APPEND IDLE CHECK CLOSE UNSELECT EXPUNGE SEARCH FETCH STORE COPY MOVE SORT GETQUOTA GETQUOTAROOT COMPRESS'.split(' '),
);
