// NOOP (RFC 3501 section 6.1.2): a command boundary; once mailboxes exist, pending EXISTS,
// EXPUNGE and FETCH FLAGS responses go out here.
import { compileGrammar } from '../proto/grammar.ts';
import { ANY_STATE, type CommandSpec } from './command.ts';

export const noop: CommandSpec = {
  name: 'NOOP',
  states: ANY_STATE,
  grammar: compileGrammar(''),
  async handle(ctx) {
    await ctx.ok('NOOP completed');
  },
};
