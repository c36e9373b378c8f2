/**
 * The `demo` command. Parses flags, loads and validates the runbook (nothing runs when it is
 * invalid), picks the engine, then hands over to the TUI or to the plain-text walkthrough.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { runChecklist, type CheckResult } from '../check/checklist.js';
import { checkDocument, checkLines, summaryLine } from '../check/output.js';
import { restoreReadyItem } from '../check/restore-ready.js';
import { createEngine } from '../engine/create.js';
import { allowPatterns, changeLines, changesOutside, describeOutside, paramsUsedBy } from '../core/changes.js';
import { ENGINE_BADGES, EngineError, type Engine, type EngineKind } from '../engine/types.js';
import { safeJson, safeText } from '../format/safe-text.js';
import { planReplay, replayedParams } from '../record/replay.js';
import { Recorder } from '../record/store.js';
import type { RecordingCommand } from '../record/types.js';
import { runPlainStep, walkPlain } from '../plain/walk.js';
import { Teardown, TEARDOWN_ON_EXIT_TIMEOUT_MS } from '../core/teardown.js';
import { formatIssue, RunbookError, UsageError } from '../runbook/errors.js';
import { loadRunbookCached } from '../runbook/cache.js';
import type { Runbook, Step } from '../runbook/model.js';
import { parseParamFlags, resolveParams } from '../runbook/params.js';
import type { ParamValue } from '../runbook/sql.js';
import { commandFlags, renderRunbookText } from '../runbook/text.js';
import { EXIT, HELP, parseCli, type CliOptions } from './args.js';
import { stateDir } from './state-dir.js';

// Everything printed passes through safeText: data, runbooks and servers' messages cannot act on the terminal.
const out = (line: string) => process.stdout.write(`${safeText(line)}\n`);
const err = (line: string) => process.stderr.write(`${safeText(line)}\n`);

/** Interactive only with a terminal on both ends and outside CI (Ink renders differently in CI). */
export function isInteractive(): boolean {
  const ci = process.env.CI;
  const inCi = ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
  return Boolean(process.stdout.isTTY) && Boolean(process.stdin.isTTY) && !inCi;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}


/** One Ctrl-C aborts what is running; a second one exits at once. */
function interruptController(): AbortController {
  const controller = new AbortController();
  let presses = 0;
  process.on('SIGINT', () => {
    presses++;
    if (presses === 1) {
      err('\nInterrupted: cancelling… (Ctrl-C again to quit at once)');
      controller.abort();
    } else process.exit(EXIT.interrupted);
  });
  process.on('SIGTERM', () => controller.abort());
  process.on('SIGHUP', () => controller.abort());
  return controller;
}

/** The engine the flags ask for; what the presenter should know about it goes to stderr. */
async function newEngine(options: CliOptions, runbook: Runbook): Promise<Engine> {
  const engine = await createEngine(options.engine, {
    runbook,
    connection: options.connection,
    stateDir: stateDir(),
    speed: options.speed,
    limits: options.limits,
    local: options.local,
  });
  for (const warning of engine.warnings ?? []) err(`warning: ${warning}`);
  engine.onLoginUrl = (url) => err(`Log in to Snowflake in your browser: ${url}`);
  return engine;
}

async function openEngine(options: CliOptions, runbook: Runbook, signal: AbortSignal): Promise<Engine> {
  const engine = await newEngine(options, runbook);
  await engine.connect(signal);
  return engine;
}

/**
 * The plain walk and `demo restore` stop at the first failure or interruption: the teardown runs
 * once, at the end, for whatever ran (the TUI's session runs it after each failure and on quit).
 */
async function endShow(teardown: Teardown): Promise<void> {
  const note = await teardown.run({ after: 'end' }, TEARDOWN_ON_EXIT_TIMEOUT_MS);
  if (note) out(`note: ${note}`);
}

const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

async function validate(options: CliOptions): Promise<number> {
  const { loadRunbook } = await import('../runbook/load.js');
  const runbook = loadRunbook(options.runbook);
  // With --param, the runbook is valid only if it is valid with them, on every engine.
  const flags = parseParamFlags(options.params);
  for (const engine of ['snowflake', 'local'] as const) refuseOutside(runbook, engine, resolveParams(runbook.params, engine, flags), flags, options.allowObjects);
  const files = new Set(
    [...runbook.steps, runbook.restore, ...runbook.checklist].flatMap((s) =>
      [...s.queries, ...(s.cleanup ? [s.cleanup] : []), ...(s.requires ? [s.requires.query] : [])].flatMap((q) => [q.sql.snowflake.file, q.sql.local?.file].filter(Boolean)),
    ),
  );
  for (const q of runbook.teardown ? [runbook.teardown] : []) for (const f of [q.sql.snowflake.file, q.sql.local?.file]) if (f) files.add(f);
  const given = Object.keys(flags).length ? ` and ${Object.entries(flags).map(([k, v]) => `${k}=${v}`).join(', ')}` : '';
  out(
    `${runbook.file}: valid — ${count(runbook.steps.length, 'step')}, a restore step, ${count(runbook.checklist.length, 'check')}; ` +
      `${count(files.size, 'SQL file')} rendered with the params of every engine${given}.`,
  );
  return EXIT.ok;
}

/** The flags that select this engine, connection and params again, for the commands the screen names. */
function flagsOf(options: CliOptions): string {
  return commandFlags(options.engine, { connection: options.connection, params: options.params });
}

/**
 * Refuses (exit 2, before anything runs) params that aim SQL which changes things at objects outside
 * the runbook's `may_change`, naming the params and the objects, unless --allow-object covers them.
 */
function refuseOutside(runbook: Runbook, engine: EngineKind, params: Readonly<Record<string, ParamValue>>, flags: Readonly<Record<string, string>>, allowed: readonly string[], steps?: readonly Step[]): void {
  const outside = changesOutside(runbook, engine, params, allowed, steps);
  if (outside.length === 0) return;
  const used = [...new Set(outside.flatMap((o) => paramsUsedBy(o, engine, Object.keys(flags))))];
  const cause = used.length ? used.map((k) => `--param ${k}=${flags[k]}`).join(' ') : 'these params';
  const shown = outside.slice(0, 12).map((o) => `  ${describeOutside(o)}`);
  if (outside.length > shown.length) shown.push(`  … and ${outside.length - shown.length} more`);
  const roots = allowPatterns(outside);
  throw new UsageError(
    [
      `${cause} would make the ${engine} engine change objects outside this runbook's may_change (${runbook.mayChange!.join(', ')}):`,
      ...shown,
      `Nothing was run. If that is what you mean, say so: ${roots.length ? roots.map((r) => `--allow-object '${r}'`).join(' ') : '--allow-object NAME'}.`,
    ].join('\n'),
  );
}

/** A recorder for a run on a real engine (rehearsal only replays; it records nothing). */
function recorderFor(engine: Engine, runbook: Runbook, command: RecordingCommand, params: Readonly<Record<string, ParamValue>>): Recorder | undefined {
  if (engine.kind === 'rehearsal') return undefined;
  return new Recorder({ stateDir: stateDir(), runbook, engine: engine.kind, command, params });
}

/**
 * The params of a run: the runbook's for the engine, then --param. A rehearsal starts from the
 * params of the run it replays, so recorded figures are judged by the rules they were made under.
 */
function paramsFor(
  options: CliOptions,
  runbook: Runbook,
  scope: 'show' | 'check' | 'restore',
): { params: Record<string, ParamValue>; replayed?: Record<string, string>; speaksFor?: EngineKind } {
  const flags = parseParamFlags(options.params);
  if (options.engine !== 'rehearsal') {
    const params = resolveParams(runbook.params, options.engine, flags);
    // The checklist only reads; the show and restore are what a param could aim elsewhere.
    if (scope !== 'check') refuseOutside(runbook, options.engine, params, flags, options.allowObjects, scope === 'restore' ? [runbook.restore] : undefined);
    return { params };
  }
  const plan = planReplay(runbook, stateDir(), scope === 'check' ? 'check' : 'show');
  const replayed = replayedParams(runbook, plan);
  const params = resolveParams(runbook.params, options.engine, { ...replayed, ...flags });
  const defaults = resolveParams(runbook.params, options.engine);
  const differing = Object.fromEntries(Object.entries(replayed).filter(([k]) => !(k in flags) && String(defaults[k]) !== String(params[k])));
  // The words of the run it replays (a local run reads as the local show); with mocks only, the live show's.
  return { params, replayed: differing, speaksFor: plan.primary?.engine ?? 'snowflake' };
}

async function check(options: CliOptions, loaded: Runbook): Promise<number> {
  if (loaded.checklist.length === 0) throw new UsageError(`${loaded.file} has no checklist: add a 'checklist:' section (see README, "Runbook format")`);
  const { params } = paramsFor(options, loaded, 'check');
  // Titles and fixes name this run's params and the commands that work on this engine.
  const runbook = renderRunbookText(loaded, { params, engine: options.engine, flags: flagsOf(options) });
  const controller = interruptController();
  const engine: Engine =
    options.engine === 'rehearsal'
      ? new (await import('../engine/rehearsal.js')).RehearsalEngine({ speed: options.speed, runbook, stateDir: stateDir(), scope: 'check' })
      : await newEngine(options, runbook);
  if (engine.kind === 'rehearsal') for (const warning of engine.warnings ?? []) err(`warning: ${warning}`);
  const recorder = recorderFor(engine, runbook, 'check', params);
  const heading = `Pre-demo checklist: ${runbook.title}  [${ENGINE_BADGES[engine.kind]}]`;
  const live = !options.json && isInteractive();
  // The engine's own "restore can run" check comes after the runbook's (see check/restore-ready.ts).
  const items = engine.preflight ? [...runbook.checklist, restoreReadyItem(runbook)] : runbook.checklist;
  const board = live ? new (await import('../check/LiveList.js')).CheckBoard(items) : undefined;
  if (!options.json && !live) out(heading);
  const started = new Date();
  let results: CheckResult[] = [];
  const running = runChecklist({
    runbook,
    engine: recorder ? recorder.tap(engine) : engine,
    params,
    signal: controller.signal,
    onStart: (item) => board?.start(item.id),
    onResult: (result, item, outcome, startedAt) => {
      recorder?.record('check', item, outcome, startedAt, result);
      if (board) board.finish(result);
      else if (!options.json) for (const line of checkLines(result)) out(line);
    },
  }).then((r) => {
    results = r;
    board?.done(summaryLine(r));
  });
  try {
    if (board) await (await import('../check/LiveList.js')).showLiveList(board, heading, running);
    else await running;
  } finally {
    recorder?.finish();
    await engine.close();
  }
  if (controller.signal.aborted) return EXIT.interrupted;
  if (options.json) {
    const document = checkDocument({
      runbook: { title: runbook.title, file: runbook.file },
      engine: engine.kind,
      startedAt: started,
      elapsedMs: Date.now() - started.getTime(),
      results,
      recording: recorder?.file ? path.basename(recorder.file, '.json') : undefined,
      scrub: engine.scrub && ((text) => engine.scrub!(text)),
    });
    out(safeJson(document));
  } else if (!live) out(summaryLine(results));
  return results.some((r) => r.status === 'fail') ? EXIT.failed : EXIT.ok;
}

async function confirmOnTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

async function restore(options: CliOptions, runbook: Runbook): Promise<number> {
  const { params } = paramsFor(options, runbook, 'restore');
  let yes = options.yes;
  if (!yes && options.engine !== 'rehearsal' && process.stdin.isTTY && process.stdout.isTTY) {
    out(`Restore will, on the ${ENGINE_BADGES[options.engine]} engine, change (read from its SQL):`);
    for (const line of changeLines(runbook.restore, options.engine, params)) out(`  - ${line}`);
    if (runbook.restore.changes.length) out('The runbook says:');
    for (const change of runbook.restore.changes) out(`  - ${change}`);
    yes = await confirmOnTerminal('Run the restore now?');
    if (!yes) {
      out('Restore not run.');
      return EXIT.failed;
    }
  }
  const controller = interruptController();
  const engine = await openEngine(options, runbook, controller.signal);
  const recorder = recorderFor(engine, runbook, 'restore', params);
  const tapped = recorder ? recorder.tap(engine) : engine;
  const teardown = new Teardown({ engine: tapped, runbook, params, recorder });
  try {
    const outcome = await runPlainStep(
      { runbook, engine: tapped, recorder, params, yes, signal: controller.signal, write: out, flags: flagsOf(options), onOutcome: (_step, outcome) => outcome.status !== 'skipped' && teardown.arm() },
      runbook.restore,
      'Restore',
    );
    if (controller.signal.aborted) return EXIT.interrupted;
    return outcome !== 'refused' && outcome.status === 'done' ? EXIT.ok : EXIT.failed;
  } finally {
    await endShow(teardown);
    recorder?.finish();
    await engine.close();
  }
}

async function walk(options: CliOptions, runbook: Runbook, ui?: Promise<typeof import('../ui/run.js')>): Promise<number> {
  const { params, replayed, speaksFor } = paramsFor(options, runbook, 'show');
  if (ui) {
    const { runTui } = await ui;
    return runTui({ runbook, params, options, stateDir: stateDir(), flags: flagsOf(options), speaksFor });
  }
  const controller = interruptController();
  const engine = await openEngine(options, runbook, controller.signal);
  const recorder = recorderFor(engine, runbook, 'walk', params);
  const tapped = recorder ? recorder.tap(engine) : engine;
  const teardown = new Teardown({ engine: tapped, runbook, params, recorder });
  try {
    return await walkPlain({ runbook, engine: tapped, recorder, replayedParams: replayed, params, yes: options.yes, signal: controller.signal, write: out, flags: flagsOf(options), speaksFor, onOutcome: (_step, outcome) => outcome.status !== 'skipped' && teardown.arm() });
  } finally {
    await endShow(teardown);
    recorder?.finish();
    await engine.close();
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const options = parseCli(argv);
    if (options.command === 'help') {
      out(HELP);
      return EXIT.ok;
    }
    if (options.command === 'version') {
      out(version());
      return EXIT.ok;
    }
    if (options.command === 'validate') return await validate(options);
    if (options.command === 'schema') {
      // For editors: no runbook is read, no engine loaded.
      process.stdout.write((await import('../runbook/json-schema.js')).runbookJsonSchemaText());
      return EXIT.ok;
    }
    if (options.command === 'report') {
      return await (await import('../report/command.js')).reportCommand(options, { stateDir: stateDir(), write: (text) => process.stdout.write(text), say: err });
    }
    if (options.command === 'presenter') return await (await import('../presenter/command.js')).presenterCommand(options);
    // Start loading the UI while the runbook is parsed: Ink is most of the start-up time.
    const ui = options.command === 'walk' && isInteractive() ? import('../ui/run.js') : undefined;
    ui?.catch(() => undefined);
    // Only the engine in use needs its SQL rendered now; `demo validate` checks them all.
    const runbook = await loadRunbookCached(options.runbook, [options.engine], path.join(stateDir(), 'cache'));
    switch (options.command) {
      case 'check':
        return await check(options, runbook);
      case 'restore':
        return await restore(options, runbook);
      case 'walk':
        return await walk(options, runbook, ui);
      default:
        throw new UsageError(`demo ${options.command} is not built yet`);
    }
  } catch (error) {
    if (error instanceof RunbookError) {
      for (const issue of error.issues) err(formatIssue(issue));
      err(`${error.issues.length} problem${error.issues.length === 1 ? '' : 's'} found; nothing was run.`);
      return EXIT.badInput;
    }
    if (error instanceof UsageError) {
      err(`demo: ${error.message}`);
      return EXIT.badInput;
    }
    if (error instanceof EngineError) {
      err(`demo: ${error.message}${error.code ? ` (${error.code})` : ''}`);
      if (error.hint) err(`  hint: ${error.hint}`);
      return EXIT.failed;
    }
    err(`demo: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return EXIT.failed;
  }
}

