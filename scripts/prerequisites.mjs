// What `npm test` needs before any test runs: the installed npm dependencies, the tools of
// test-tools.mjs (installed with apt-get when running as root on Debian, as on CI and a fresh
// machine; otherwise a stop with the command to run), and a word on PostgreSQL, whose tests are
// skipped when no server can be reached, except in CI.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { TEST_TOOLS } from './test-tools.mjs';

const say = (line) => console.log(`npm test: ${line}`);

function stop(line) {
  console.error(`npm test: ${line}`);
  process.exit(1);
}

function works(tool) {
  if (!existsSync(tool.path)) return false;
  const run = spawnSync(tool.path, tool.check.args, { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: tmpdir(), LANG: 'C.UTF-8' } });
  return run.status === 0 && (!tool.check.expect || tool.check.expect.test(`${run.stdout}${run.stderr}`.trim()));
}

function aptGet(args) {
  return spawnSync('apt-get', args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
}

export function ensureTestTools(tools = TEST_TOOLS) {
  const missing = tools.filter((tool) => !works(tool));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((tool) => tool.debianPackage))];
  const what = missing.map((tool) => `${tool.name} (${tool.path})`).join(', ');
  const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
  if (!canInstall) stop(`missing ${what}; install with: sudo apt-get install -y ${packages.join(' ')}`);
  say(`installing ${what} with: apt-get install -y ${packages.join(' ')}`);
  let install = aptGet(['install', '-y', ...packages]);
  // A fresh machine has no package lists yet.
  if (install.status !== 0) {
    const update = aptGet(['update']);
    install = update.status === 0 ? aptGet(['install', '-y', ...packages]) : update;
  }
  if (install.status !== 0) {
    process.stderr.write(install.stdout + install.stderr);
    stop(`apt-get could not install ${packages.join(' ')} (output above)`);
  }
  const stillMissing = missing.filter((tool) => !works(tool));
  if (stillMissing.length > 0) stop(`${stillMissing.map((tool) => `${tool.name} (${tool.path})`).join(', ')} still missing or not working after installing ${packages.join(' ')}`);
}

/** The PostgreSQL URL without its password, fit to print. */
function shown(url) {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** Says whether the PostgreSQL variants will run, and where; in CI an unreachable server stops the run. */
export async function announcePostgres() {
  // The tests' own helper decides (test/helpers/postgres.ts), so this line cannot disagree with them.
  const { POSTGRES_ADMIN_URL, postgresAvailable } = await import('../test/helpers/postgres.ts');
  const where = `${shown(POSTGRES_ADMIN_URL)} (GODWIT_TEST_POSTGRES_URL)`;
  let available;
  try {
    available = await postgresAvailable();
  } catch (error) {
    stop(`${error.message.replaceAll(POSTGRES_ADMIN_URL, shown(POSTGRES_ADMIN_URL))}; with CI=true the PostgreSQL tests must run`);
  }
  if (available) say(`PostgreSQL tests run on ${where}`);
  else say(`PostgreSQL is not reachable at ${where}: its tests are skipped, SQLite only (GODWIT_TEST_POSTGRES_URL names another server)`);
}
