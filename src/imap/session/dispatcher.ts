// From a parsed command to its handler: the command must exist, be built, be allowed in the
// session's state and take a UID prefix if it has one, and its arguments must match its grammar.
// Every refusal is a BAD with a reason; a handler that throws gets NO [SERVERBUG] and the
// session goes on.
import { logEvent } from '../../log/logger.ts';
import { COMMANDS, PLANNED } from '../commands/index.ts';
import type { CommandContext, SessionState } from '../commands/command.ts';
import { matchGrammar } from '../proto/grammar.ts';
import type { ParsedCommand } from '../proto/tokens.ts';

const STATE_NAMES: Record<SessionState, string> = {
  'not-authenticated': 'before login',
  authenticated: 'after login',
  selected: 'with a mailbox selected',
  logout: 'after LOGOUT',
};

export async function dispatch(command: ParsedCommand, ctx: CommandContext): Promise<void> {
  const spec = COMMANDS.get(command.name);
  const shown = `${command.uid ? 'UID ' : ''}${command.name}`;
  if (!spec) {
    if (PLANNED.has(command.name)) return ctx.bad(`${shown} is not implemented yet`);
    return ctx.bad(`Unknown command ${shown.slice(0, 40)}`);
  }
  if (command.uid && !spec.uid) return ctx.bad(`${command.name} takes no UID prefix`);
  if (!spec.states.includes(ctx.session.state)) return ctx.bad(`${command.name} is not allowed ${STATE_NAMES[ctx.session.state]}`);
  const match = matchGrammar(spec.grammar, command.args, ctx.services.limits);
  if (!match.ok) return ctx.bad(`${command.name}: ${match.reason}`);
  try {
    await spec.handle(ctx, match.values);
  } catch (error) {
    logEvent(ctx.services.logger, 'imap.command_failed', { session: ctx.session.id, command: command.name, error: (error as Error).message }, 'error');
    await ctx.no(`${command.name} failed on the server`, 'SERVERBUG');
  }
}
