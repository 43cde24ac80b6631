// LOGIN userid password (RFC 3501 section 6.2.3)
import { compileGrammar } from '../proto/grammar.ts';
import type { CommandSpec } from './command.ts';
import { refuseWithoutTls, signIn } from './sign-in.ts';

export const login: CommandSpec = {
  name: 'LOGIN',
  states: ['not-authenticated'],
  grammar: compileGrammar('astring astring'),
  async handle(ctx, [userid, password]) {
    if (await refuseWithoutTls(ctx)) return;
    await signIn(ctx, userid as string, password as string, 'LOGIN');
  },
};
