// AUTHENTICATE mechanism [initial-response] (RFC 3501 section 6.2.2, SASL-IR RFC 4959, PLAIN RFC 4616)
// Only PLAIN, and only over TLS. Without an initial response the server sends `+ ` and reads
// one line; `*` cancels. An authorization identity other than the user's own is refused: Godwit
// offers no proxy login.
import { compileGrammar } from '../proto/grammar.ts';
import type { CommandSpec } from './command.ts';
import { refuseWithoutTls, signIn } from './sign-in.ts';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export const authenticate: CommandSpec = {
  name: 'AUTHENTICATE',
  states: ['not-authenticated'],
  grammar: compileGrammar('atom [atom]'),
  async handle(ctx, [mechanism, initial]) {
    if ((mechanism as string).toUpperCase() !== 'PLAIN') return ctx.no(`The ${String(mechanism).slice(0, 40)} mechanism is not supported; use PLAIN`, 'CANNOT');
    if (await refuseWithoutTls(ctx)) return;
    let response = initial as string | undefined;
    if (response === undefined) {
      const answer = await ctx.exchange('');
      if (!answer) return;
      if ('tooLong' in answer) return ctx.bad(`SASL response longer than ${ctx.services.limits.maxSaslResponseBytes} octets`);
      response = answer.line.toString('latin1');
    }
    if (response === '*') return ctx.bad('AUTHENTICATE cancelled');
    // RFC 4959: "=" is an empty initial response.
    if (response !== '=' && !BASE64.test(response)) return ctx.bad('The SASL response is not valid base64');
    const fields = response === '=' ? [] : Buffer.from(response, 'base64').toString('utf8').split('\0');
    if (fields.length !== 3 || !fields[1] || !fields[2]) return ctx.bad('A PLAIN response is authzid NUL authcid NUL password');
    const [authzid, authcid, password] = fields;
    if (authzid && authzid.toLowerCase() !== authcid.toLowerCase()) return ctx.no('Logging in as another user is not supported', 'AUTHORIZATIONFAILED');
    await signIn(ctx, authcid, password, 'PLAIN');
  },
};
