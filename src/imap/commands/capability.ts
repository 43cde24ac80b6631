// CAPABILITY (RFC 3501 section 6.1.1): what this session may use now; the list changes with TLS
// and login (session/capabilities.ts).
import { compileGrammar } from '../proto/grammar.ts';
import { atom } from '../proto/encode.ts';
import { ANY_STATE, type CommandSpec } from './command.ts';

export const capability: CommandSpec = {
  name: 'CAPABILITY',
  states: ANY_STATE,
  grammar: compileGrammar(''),
  async handle(ctx) {
    await ctx.untagged(atom('CAPABILITY'), ...ctx.session.capabilities().map(atom));
    await ctx.ok('CAPABILITY completed');
  },
};
