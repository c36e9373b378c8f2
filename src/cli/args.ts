/** Command-line parsing. The surface is documented in HELP and the README; keep the three in step. */
import { parseArgs } from 'node:util';
import type { EngineKind } from '../engine/types.js';
import { parseDuration } from '../format/duration.js';
import { UsageError } from '../runbook/errors.js';
import type { LocalResources, SnowflakeLimits } from '../runbook/model.js';
import { ENGINE_NAMES, MEMORY_SIZE, OBJECT_PATTERN } from '../runbook/patterns.js';

export const EXIT = { ok: 0, failed: 1, badInput: 2, interrupted: 130 } as const;

export type Command = 'walk' | 'check' | 'restore' | 'validate' | 'schema' | 'presenter' | 'report' | 'help' | 'version';

export interface CliOptions {
  command: Command;
  runbook: string;
  engine: EngineKind;
  connection?: string;
  params: string[];
  /** --allow-object: names or patterns the presenter allows beyond the runbook's may_change. */
  allowObjects: string[];
  yes: boolean;
  json: boolean;
  speed: number;
  audience: boolean;
  out?: string;
  /** --login-timeout and friends: they override the runbook's `snowflake:` limits. */
  limits: SnowflakeLimits;
  /** --memory-limit and --threads: they override the runbook's `local:` settings. */
  local: LocalResources;
  /** validate FILE, report RECORDING. */
  positional?: string;
}

export const HELP = `demo — an interactive terminal runbook for presenting a data platform live

Usage:
  demo [options]                 walk the show (default engine: snowflake)
  demo check [--json] [options]  pre-demo checklist, pass/fail
  demo restore [--yes] [options] run the restore step without the TUI
  demo validate [FILE] [--param K=V]  validate a runbook and every SQL file it names; no connection
  demo schema                    print the runbook format as a JSON Schema (runbook.schema.json)
  demo presenter                 presenter console: attach to the running show from a second terminal
  demo report [RECORDING] [--out FILE]  Markdown report of a recorded run
  demo --help | --version

Options:
  --runbook FILE           the runbook to use (default: runbook.yml)
  --engine NAME            snowflake (live), local (DuckDB on this machine) or rehearsal
  --rehearse               same as --engine rehearsal: recorded or mock results, no account needed
  -c, --connection NAME    connections.toml entry for Snowflake (default: the runbook's, else
                           default_connection_name / $SNOWFLAKE_DEFAULT_CONNECTION_NAME / "default")
  --param KEY=VALUE        set a runbook param (repeatable), e.g. --param multiplier=100
  --allow-object PATTERN   let SQL change this object although the runbook's may_change leaves it
                           out (repeatable; * is any characters), e.g. --allow-object 'TEST_*'
  --yes                    answer yes to every confirmation (destructive steps, restore)
  --json                   check: print a machine-readable document
  --speed N                rehearsal: play simulated durations N times faster (0.01 to 1000000)
  --audience               hide talking points on the projected screen
  --out FILE               report: write to FILE instead of stdout
  --login-timeout T        Snowflake: a login answers or fails within T (default 15s)
  --submit-timeout T       Snowflake: a statement gets its query id within T (default 15s)
  --lost-after T           Snowflake: a running statement whose status goes unanswered
                           this long is lost (default 20s)
  --result-timeout T       Snowflake: a finished statement's result arrives within T (default 60s)
  --memory-limit SIZE      local engine: DuckDB's memory, e.g. 2GB or 25% (default: a quarter of
                           this machine's, at most 2GB; beyond it DuckDB spills to .demo/tmp)
  --threads N              local engine: DuckDB's threads (default: the cores less one)
  -h, --help               this help
  -v, --version            the version

Without a terminal (stdout or stdin not a TTY, or CI set) demo prints the walkthrough as plain
text and runs non-interactively; a destructive step on the local or Snowflake engine then needs
--yes, otherwise it is not run and the exit code is 1.

Exit codes:
  0    success
  1    a step or check failed (or a destructive step was not allowed)
  2    bad input: flags, runbook, SQL files, connection config, or an engine that is not available
  130  interrupted (Ctrl-C)
`;

export const MIN_SPEED = 0.01;
export const MAX_SPEED = 1_000_000;

const COMMANDS: readonly Command[] = ['check', 'restore', 'validate', 'schema', 'presenter', 'report'];

/** The flags that override the runbook's `snowflake:` limits, and the limit each sets. */
const LIMIT_FLAGS = {
  'login-timeout': 'loginTimeoutMs',
  'submit-timeout': 'submitTimeoutMs',
  'lost-after': 'lostAfterMs',
  'result-timeout': 'resultTimeoutMs',
} as const satisfies Record<string, keyof SnowflakeLimits>;

function parseLimits(values: Partial<Record<keyof typeof LIMIT_FLAGS, string>>): SnowflakeLimits {
  const limits: SnowflakeLimits = {};
  for (const [flag, key] of Object.entries(LIMIT_FLAGS) as [keyof typeof LIMIT_FLAGS, keyof SnowflakeLimits][]) {
    const text = values[flag];
    if (text === undefined) continue;
    const ms = parseDuration(/^\d+(\.\d+)?$/.test(text) ? Number(text) : text);
    if (!ms || ms <= 0) throw new UsageError(`--${flag} ${text}: expected a duration above zero, e.g. --${flag} 15s`);
    limits[key] = ms;
  }
  return limits;
}

export function parseCli(argv: readonly string[]): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        runbook: { type: 'string' },
        engine: { type: 'string' },
        rehearse: { type: 'boolean', default: false },
        connection: { type: 'string', short: 'c' },
        param: { type: 'string', multiple: true, default: [] },
        'allow-object': { type: 'string', multiple: true, default: [] },
        yes: { type: 'boolean', short: 'y', default: false },
        json: { type: 'boolean', default: false },
        speed: { type: 'string' },
        audience: { type: 'boolean', default: false },
        out: { type: 'string' },
        'memory-limit': { type: 'string' },
        threads: { type: 'string' },
        ...(Object.fromEntries(Object.keys(LIMIT_FLAGS).map((flag) => [flag, { type: 'string' }])) as Record<keyof typeof LIMIT_FLAGS, { type: 'string' }>),
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.replace(/\. To specify.*$/s, '')}; see demo --help`);
  }
  const { values, positionals } = parsed;
  const [first, ...rest] = positionals;
  let command: Command = 'walk';
  if (values.help) command = 'help';
  else if (values.version) command = 'version';
  else if (first !== undefined) {
    if (!COMMANDS.includes(first as Command)) throw new UsageError(`unknown command '${first}'; see demo --help`);
    command = first as Command;
  }
  const extra = command === 'validate' || command === 'report' ? rest.slice(1) : first === undefined ? [] : rest;
  if (extra.length > 0 && command !== 'help' && command !== 'version') {
    throw new UsageError(`unexpected argument '${extra[0]}'; see demo --help`);
  }

  if (values.rehearse && values.engine && values.engine !== 'rehearsal') {
    throw new UsageError(`--rehearse and --engine ${values.engine} contradict each other; use one`);
  }
  const engine = values.rehearse ? 'rehearsal' : (values.engine ?? 'snowflake');
  if (!ENGINE_NAMES.includes(engine as EngineKind)) {
    throw new UsageError(`--engine ${engine}: expected one of ${ENGINE_NAMES.join(', ')}`);
  }
  let speed = 1;
  if (values.speed !== undefined) {
    speed = Number(values.speed);
    // Bounded both ways: a tiny factor makes waits too long for a timer (Node warns, then plays at once).
    if (!Number.isFinite(speed) || speed < MIN_SPEED || speed > MAX_SPEED) {
      throw new UsageError(`--speed ${values.speed}: expected a number from ${MIN_SPEED} to ${MAX_SPEED.toLocaleString('en-GB')}, e.g. --speed 10`);
    }
  }
  for (const pattern of values['allow-object']) {
    if (!OBJECT_PATTERN.test(pattern)) throw new UsageError(`--allow-object ${pattern}: expected an object name or a pattern such as 'TEST_*' (letters, digits, _ $ . and *)`);
  }
  const memoryLimit = values['memory-limit'];
  if (memoryLimit !== undefined && !MEMORY_SIZE.test(memoryLimit)) throw new UsageError(`--memory-limit ${memoryLimit}: expected a size such as 2GB or 512MiB, or a share of this machine's memory such as 25%`);
  let threads: number | undefined;
  if (values.threads !== undefined) {
    threads = Number(values.threads);
    if (!Number.isInteger(threads) || threads < 1 || threads > 1024) throw new UsageError(`--threads ${values.threads}: expected a whole number of threads, at least 1, e.g. --threads 2`);
  }
  const positional = command === 'validate' || command === 'report' ? rest[0] : undefined;
  return {
    command,
    runbook: (command === 'validate' ? positional : undefined) ?? values.runbook ?? 'runbook.yml',
    engine: engine as EngineKind,
    connection: values.connection,
    params: values.param,
    allowObjects: values['allow-object'],
    yes: values.yes,
    json: values.json,
    speed,
    audience: values.audience,
    out: values.out,
    limits: parseLimits(values),
    local: { ...(memoryLimit !== undefined ? { memoryLimit } : {}), ...(threads !== undefined ? { threads } : {}) },
    positional,
  };
}
