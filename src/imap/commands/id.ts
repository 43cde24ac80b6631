// ID ("name" "value" …) | NIL (RFC 2971): the client says who it is (kept for the log), the
// server answers its own name. RFC 2971 bounds: 30 pairs, names of 30 octets, values of 1024.
import { compileGrammar } from '../proto/grammar.ts';
import { atom } from '../proto/encode.ts';
import { logEvent } from '../../log/logger.ts';
import type { Token } from '../proto/tokens.ts';
import { ANY_STATE, type CommandSpec } from './command.ts';

const stringOrNil = (token: Token): string | null | undefined =>
  token.type === 'quoted' || token.type === 'literal' ? token.value.toString('utf8') : token.type === 'atom' && token.value.toUpperCase() === 'NIL' ? null : undefined;

export const id: CommandSpec = {
  name: 'ID',
  states: ANY_STATE,
  grammar: compileGrammar('list|nstring'),
  async handle(ctx, [params]) {
    if (params === null) ctx.session.clientId = null;
    else if (Array.isArray(params)) {
      const items = params as Token[];
      if (items.length % 2 !== 0 || items.length > 60) return ctx.bad('ID takes up to 30 "name" "value" pairs');
      const fields: Record<string, string | null> = {};
      for (let i = 0; i < items.length; i += 2) {
        const name = stringOrNil(items[i]);
        const value = stringOrNil(items[i + 1]);
        if (typeof name !== 'string' || name.length > 30 || value === undefined || (value !== null && value.length > 1024)) return ctx.bad('ID takes "name" "value" pairs of strings, names up to 30 octets, values up to 1024');
        fields[name.toLowerCase()] = value;
      }
      ctx.session.clientId = fields;
      logEvent(ctx.services.logger, 'imap.client_id', { session: ctx.session.id, client: fields }, 'debug');
    } else return ctx.bad('ID takes a parenthesized list or NIL');
    await ctx.untagged(atom('ID'), ['name', 'Godwit', 'vendor', 'Godwit']);
    await ctx.ok('ID completed');
  },
};
