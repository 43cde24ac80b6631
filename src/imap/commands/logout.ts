// LOGOUT (RFC 3501 section 6.1.3): BYE, then the tagged OK, then the connection ends.
import { compileGrammar } from '../proto/grammar.ts';
import { ANY_STATE, type CommandSpec } from './command.ts';

export const logout: CommandSpec = {
  name: 'LOGOUT',
  states: ANY_STATE,
  grammar: compileGrammar(''),
  async handle(ctx) {
    ctx.session.state = 'logout';
    await ctx.bye('Logging out');
    await ctx.ok('LOGOUT completed');
  },
};
