// ENABLE capability… (RFC 5161): only after login. What is recognised is recorded on the session
// for the commands that change their answers for it (CONDSTORE, QRESYNC, UTF8=ACCEPT) and listed
// in `* ENABLED`; the rest is ignored, as the RFC asks.
import { compileGrammar } from '../proto/grammar.ts';
import { atom } from '../proto/encode.ts';
import { AUTHENTICATED, type CommandSpec } from './command.ts';

const RECOGNISED = new Set(['CONDSTORE', 'QRESYNC', 'UTF8=ACCEPT']);

export const enable: CommandSpec = {
  name: 'ENABLE',
  states: AUTHENTICATED,
  grammar: compileGrammar('atom+'),
  async handle(ctx, [names]) {
    const newly: string[] = [];
    for (const name of (names as string[]).map((n) => n.toUpperCase())) {
      if (!RECOGNISED.has(name) || ctx.session.enabled.has(name)) continue;
      ctx.session.enabled.add(name);
      newly.push(name);
      // RFC 7162 section 3.2.3: enabling QRESYNC enables CONDSTORE too.
      if (name === 'QRESYNC' && !ctx.session.enabled.has('CONDSTORE')) ctx.session.enabled.add('CONDSTORE');
    }
    await ctx.untagged(atom('ENABLED'), ...newly.map(atom));
    await ctx.ok('ENABLE completed');
  },
};
