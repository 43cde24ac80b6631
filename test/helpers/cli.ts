// Runs the `godwit` command the way a user does: `node bin/godwit.mjs …` as a separate
// process from the repository root, with its own environment. `serve` runs in the background
// until stopped with a signal; its output is kept so that tests can read what it printed.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const GODWIT = ['bin/godwit.mjs'];

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment a fresh shell would give godwit: no GODWIT_* leaking in from the test runner. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('GODWIT_') && !name.startsWith('NODE_TEST') && name !== 'NODE_OPTIONS') env[name] = value;
  }
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) env[name] = value;
  return env;
}

function collect(child: ChildProcess): { stdout: () => string; stderr: () => string } {
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return { stdout: () => stdout, stderr: () => stderr };
}

/** Runs `godwit <args>` to completion (no stdin, as in CI). */
export function godwit(args: string[], env: Record<string, string | undefined> = {}): Promise<CommandResult> {
  const child = spawn(process.execPath, [...GODWIT, ...args], { cwd: REPO_ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const output = collect(child);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout: output.stdout(), stderr: output.stderr() }));
  });
}

/** A loopback TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// Generous: a loaded two-core CI machine can take several seconds to compile and start Godwit.
const STARTUP_LIMIT_MS = 60_000;

export interface ServeProcess {
  endpoint: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Sends SIGTERM and waits for the process to exit. */
  stop(): Promise<CommandResult>;
}

/** The lines a process has finished writing so far that are not log lines. */
const printedLines = (stdout: string) => splitOutput(stdout.slice(0, stdout.lastIndexOf('\n') + 1)).human;

/**
 * Starts `godwit serve <args>` and waits until GET /health answers on `port` and it has printed
 * where it listens. Fails with the process's output if it exits first or is not up within the
 * time limit.
 */
export async function serve(args: string[], port: number, env: Record<string, string | undefined> = {}, host = '127.0.0.1'): Promise<ServeProcess> {
  const endpoint = `http://${host}:${port}`;
  const started = await startServe(args, env, async (stdout) => {
    try {
      return (await fetch(`${endpoint}/health`)).status === 200 && printedLines(stdout).includes(endpoint);
    } catch {
      return false; // not listening yet
    }
  });
  return { ...started, endpoint };
}

/** What `serve --json` prints once it listens (the credentials members too, on a first start). */
export interface ListeningObject {
  endpoint: string;
  httpsEndpoint?: string;
  tlsCertificate?: string;
  region: string;
  [member: string]: unknown;
}

/**
 * Starts `godwit serve --json <args>` and waits for the one JSON object it prints once it
 * listens, so that ports given as 0 are learnt the way a script learns them.
 */
export async function serveJson(args: string[], env: Record<string, string | undefined> = {}): Promise<ServeProcess & { printed: ListeningObject }> {
  let printed: ListeningObject | undefined;
  const started = await startServe(['--json', ...args], env, async (stdout) => {
    const human = printedLines(stdout).trim();
    if (human) printed = JSON.parse(human) as ListeningObject;
    return printed !== undefined;
  });
  return { ...started, endpoint: printed!.endpoint, printed: printed! };
}

async function startServe(
  args: string[],
  env: Record<string, string | undefined>,
  ready: (stdout: string) => Promise<boolean>,
): Promise<Omit<ServeProcess, 'endpoint'>> {
  const child = spawn(process.execPath, [...GODWIT, 'serve', ...args], { cwd: REPO_ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const output = collect(child);
  const exited = new Promise<CommandResult>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stdout: output.stdout(), stderr: output.stderr() })),
  );
  let exit: CommandResult | undefined;
  void exited.then((result) => (exit = result));
  const deadline = Date.now() + STARTUP_LIMIT_MS;
  for (;;) {
    if (exit) throw new Error(`godwit serve exited (${exit.code ?? exit.signal}) before it was ready:\n${exit.stdout}\n${exit.stderr}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`godwit serve was not ready within ${STARTUP_LIMIT_MS / 1000} s:\n${output.stdout()}\n${output.stderr()}`);
    }
    if (await ready(output.stdout())) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    child,
    stdout: output.stdout,
    stderr: output.stderr,
    stop() {
      if (!exit) child.kill('SIGTERM');
      return exited;
    },
  };
}

export interface LogLine {
  level: number;
  event?: string;
  [field: string]: unknown;
}

/** Splits a process's output into its JSON log lines and everything else (what it printed for people). */
export function splitOutput(text: string): { logs: LogLine[]; logText: string; human: string } {
  const logs: LogLine[] = [];
  const logLines: string[] = [];
  const human: string[] = [];
  for (const line of text.split('\n')) {
    let parsed: unknown;
    try {
      parsed = line.startsWith('{') ? JSON.parse(line) : undefined;
    } catch {
      parsed = undefined;
    }
    if (parsed && typeof parsed === 'object' && 'level' in parsed && 'time' in parsed) {
      logs.push(parsed as LogLine);
      logLines.push(line);
    } else {
      human.push(line);
    }
  }
  return { logs, logText: logLines.join('\n'), human: human.join('\n') };
}
