/**
 * The `demo` command. Parses flags, loads and validates the runbook (nothing runs when it is
 * invalid), picks the engine, then hands over to the TUI or to the plain-text walkthrough.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { runChecklist, type CheckResult } from '../check/checklist.js';
import { createEngine } from '../engine/create.js';
import { ENGINE_BADGES, EngineError, type Engine } from '../engine/types.js';
import { formatDuration } from '../format/numbers.js';
import { runPlainStep, walkPlain } from '../plain/walk.js';
import { formatIssue, RunbookError, UsageError } from '../runbook/errors.js';
import { loadRunbookCached } from '../runbook/cache.js';
import type { Runbook } from '../runbook/model.js';
import { parseParamFlags, resolveParams } from '../runbook/params.js';
import { EXIT, HELP, parseCli, type CliOptions } from './args.js';

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

function stateDir(): string {
  return process.env.DEMO_STATE_DIR ?? path.resolve('.demo');
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
  return controller;
}

async function openEngine(options: CliOptions, runbook: Runbook, signal: AbortSignal): Promise<Engine> {
  const engine = await createEngine(options.engine, {
    runbook,
    connection: options.connection,
    stateDir: stateDir(),
    speed: options.speed,
  });
  await engine.connect(signal);
  return engine;
}

async function validate(options: CliOptions): Promise<number> {
  const { loadRunbook } = await import('../runbook/load.js');
  const runbook = loadRunbook(options.runbook);
  const files = new Set(
    [...runbook.steps, runbook.restore, ...runbook.checklist].flatMap((s) =>
      [...s.queries, ...(s.cleanup ? [s.cleanup] : [])].flatMap((q) => [q.sql.snowflake.file, q.sql.local?.file].filter(Boolean)),
    ),
  );
  out(
    `${runbook.file}: valid — ${runbook.steps.length} steps, a restore step, ${runbook.checklist.length} checks; ` +
      `${files.size} SQL files rendered with the params of every engine.`,
  );
  return EXIT.ok;
}

async function check(options: CliOptions, runbook: Runbook): Promise<number> {
  const params = resolveParams(runbook.params, options.engine, parseParamFlags(options.params));
  const controller = interruptController();
  const engine = await openEngine(options, runbook, controller.signal);
  const started = Date.now();
  let results: CheckResult[];
  try {
    if (!options.json) out(`Pre-demo checklist: ${runbook.title}  [${ENGINE_BADGES[engine.kind]}]`);
    results = await runChecklist({
      runbook,
      engine,
      params,
      signal: controller.signal,
      onResult: (r) => {
        if (options.json) return;
        const mark = r.status === 'pass' ? '✓' : r.status === 'fail' ? '✗' : '–';
        out(`${mark} ${r.title}  (${formatDuration(r.elapsedMs)})`);
        if (r.message) out(`    ${r.message}`);
        if (r.status === 'fail' && r.fix) out(`    fix: ${r.fix}`);
      },
    });
  } finally {
    await engine.close();
  }
  if (controller.signal.aborted) return EXIT.interrupted;
  const failed = results.filter((r) => r.status === 'fail').length;
  if (options.json) {
    out(
      JSON.stringify(
        { runbook: runbook.title, engine: engine.kind, startedAt: new Date(started).toISOString(), ok: failed === 0, checks: results },
        null,
        2,
      ),
    );
  } else out(failed === 0 ? `All ${results.length} checks passed.` : `${failed} of ${results.length} checks failed.`);
  return failed === 0 ? EXIT.ok : EXIT.failed;
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
  const params = resolveParams(runbook.params, options.engine, parseParamFlags(options.params));
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
  try {
    const outcome = await runPlainStep({ runbook, engine, params, yes, signal: controller.signal, write: out }, runbook.restore, 'Restore');
    if (controller.signal.aborted) return EXIT.interrupted;
    return outcome !== 'refused' && outcome.status === 'done' ? EXIT.ok : EXIT.failed;
  } finally {
    await engine.close();
  }
}

async function walk(options: CliOptions, runbook: Runbook, ui?: Promise<typeof import('../ui/run.js')>): Promise<number> {
  const params = resolveParams(runbook.params, options.engine, parseParamFlags(options.params));
  if (ui) {
    const { runTui } = await ui;
    return runTui({ runbook, params, options, stateDir: stateDir() });
  }
  const controller = interruptController();
  const engine = await openEngine(options, runbook, controller.signal);
  try {
    return await walkPlain({ runbook, engine, params, yes: options.yes, signal: controller.signal, write: out });
  } finally {
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
    if (options.command === 'report') return await (await import('../report/command.js')).reportCommand(options);
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

