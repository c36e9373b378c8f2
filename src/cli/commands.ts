/**
 * The `demo` command. Parses flags, loads and validates the runbook (nothing runs when it is
 * invalid), picks the engine, then hands over to the TUI or to the plain-text walkthrough.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { runChecklist, type CheckResult } from '../check/checklist.js';
import { checkDocument, checkLines, summaryLine } from '../check/output.js';
import { createEngine } from '../engine/create.js';
import { ENGINE_BADGES, EngineError, type Engine } from '../engine/types.js';
import { planReplay, replayedParams } from '../record/replay.js';
import { Recorder } from '../record/store.js';
import type { RecordingCommand } from '../record/types.js';
import { runPlainStep, walkPlain } from '../plain/walk.js';
import { Teardown, TEARDOWN_ON_EXIT_TIMEOUT_MS } from '../core/teardown.js';
import { formatIssue, RunbookError, UsageError } from '../runbook/errors.js';
import { loadRunbookCached } from '../runbook/cache.js';
import type { Runbook } from '../runbook/model.js';
import { parseParamFlags, resolveParams } from '../runbook/params.js';
import type { ParamValue } from '../runbook/sql.js';
import { EXIT, HELP, parseCli, type CliOptions } from './args.js';
import { stateDir } from './state-dir.js';

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

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

async function openEngine(options: CliOptions, runbook: Runbook, signal: AbortSignal): Promise<Engine> {
  const engine = await createEngine(options.engine, {
    runbook,
    connection: options.connection,
    stateDir: stateDir(),
    speed: options.speed,
  });
  for (const warning of engine.warnings ?? []) err(`warning: ${warning}`);
  engine.onLoginUrl = (url) => err(`Log in to Snowflake in your browser: ${url}`);
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

async function validate(options: CliOptions): Promise<number> {
  const { loadRunbook } = await import('../runbook/load.js');
  const runbook = loadRunbook(options.runbook);
  const files = new Set(
    [...runbook.steps, runbook.restore, ...runbook.checklist].flatMap((s) =>
      [...s.queries, ...(s.cleanup ? [s.cleanup] : [])].flatMap((q) => [q.sql.snowflake.file, q.sql.local?.file].filter(Boolean)),
    ),
  );
  for (const q of runbook.teardown ? [runbook.teardown] : []) for (const f of [q.sql.snowflake.file, q.sql.local?.file]) if (f) files.add(f);
  out(
    `${runbook.file}: valid — ${runbook.steps.length} steps, a restore step, ${runbook.checklist.length} checks; ` +
      `${files.size} SQL files rendered with the params of every engine.`,
  );
  return EXIT.ok;
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
function paramsFor(options: CliOptions, runbook: Runbook, scope: 'show' | 'check'): { params: Record<string, ParamValue>; replayed?: Record<string, string> } {
  const flags = parseParamFlags(options.params);
  if (options.engine !== 'rehearsal') return { params: resolveParams(runbook.params, options.engine, flags) };
  const replayed = replayedParams(runbook, planReplay(runbook, stateDir(), scope));
  const params = resolveParams(runbook.params, options.engine, { ...replayed, ...flags });
  const defaults = resolveParams(runbook.params, options.engine);
  const differing = Object.fromEntries(Object.entries(replayed).filter(([k]) => !(k in flags) && String(defaults[k]) !== String(params[k])));
  return { params, replayed: differing };
}

async function check(options: CliOptions, runbook: Runbook): Promise<number> {
  if (runbook.checklist.length === 0) throw new UsageError(`${runbook.file} has no checklist: add a 'checklist:' section (see README, "Runbook format")`);
  const { params } = paramsFor(options, runbook, 'check');
  const controller = interruptController();
  const engine =
    options.engine === 'rehearsal'
      ? new (await import('../engine/rehearsal.js')).RehearsalEngine({ speed: options.speed, runbook, stateDir: stateDir(), scope: 'check' })
      : await createEngine(options.engine, { runbook, connection: options.connection, stateDir: stateDir(), speed: options.speed });
  const recorder = recorderFor(engine, runbook, 'check', params);
  const heading = `Pre-demo checklist: ${runbook.title}  [${ENGINE_BADGES[engine.kind]}]`;
  const live = !options.json && isInteractive();
  const board = live ? new (await import('../check/LiveList.js')).CheckBoard(runbook.checklist) : undefined;
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
    const document = checkDocument({ runbook: { title: runbook.title, file: runbook.file }, engine: engine.kind, startedAt: started, elapsedMs: Date.now() - started.getTime(), results, recording: recorder?.file ? path.basename(recorder.file, '.json') : undefined });
    out(JSON.stringify(document, null, 2));
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
  const { params } = paramsFor(options, runbook, 'show');
  let yes = options.yes;
  if (!yes && options.engine !== 'rehearsal' && process.stdin.isTTY && process.stdout.isTTY) {
    out(`Restore will, on the ${ENGINE_BADGES[options.engine]} engine:`);
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
      { runbook, engine: tapped, recorder, params, yes, signal: controller.signal, write: out, onOutcome: (_step, outcome) => outcome.status !== 'skipped' && teardown.arm() },
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
  const { params, replayed } = paramsFor(options, runbook, 'show');
  if (ui) {
    const { runTui } = await ui;
    return runTui({ runbook, params, options, stateDir: stateDir() });
  }
  const controller = interruptController();
  const engine = await openEngine(options, runbook, controller.signal);
  const recorder = recorderFor(engine, runbook, 'walk', params);
  const tapped = recorder ? recorder.tap(engine) : engine;
  const teardown = new Teardown({ engine: tapped, runbook, params, recorder });
  try {
    return await walkPlain({ runbook, engine: tapped, recorder, replayedParams: replayed, params, yes: options.yes, signal: controller.signal, write: out, onOutcome: (_step, outcome) => outcome.status !== 'skipped' && teardown.arm() });
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

