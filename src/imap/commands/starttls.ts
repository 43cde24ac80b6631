// STARTTLS (RFC 3501 section 6.2.1, RFC 2595): only on the cleartext port and only before login.
// Whatever the client sent behind it in plaintext is dropped unread (CVE-2011-0411): the session
// reads nothing ahead of the command it is running, and startTls() throws away what is buffered.
import { compileGrammar } from '../proto/grammar.ts';
import type { CommandSpec } from './command.ts';

export const starttls: CommandSpec = {
  name: 'STARTTLS',
  states: ['not-authenticated'],
  grammar: compileGrammar(''),
  async handle(ctx) {
    if (!ctx.session.canStartTls) return ctx.bad('TLS is already active');
    await ctx.ok('Begin TLS negotiation now');
    await ctx.startTls();
  },
};
