/**
 * Recordings on disk, under `<state dir>/recordings/`: one JSON file per run, rewritten whole
 * (temporary file, then rename) after every step, so a crash mid-show loses nothing already
 * recorded and a reader never sees half a file.
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { CheckResult } from '../check/checklist.js';
import { privateDir, writeAtomically } from '../cli/state-dir.js';
import type { StepOutcome } from '../core/runner.js';
import type { Engine, RunOptions, StatementRequest, StatementResult } from '../engine/types.js';
import { runbookPath, type Runbook, type Step } from '../runbook/model.js';
import { readTextFile } from '../runbook/files.js';
import type { ParamValue } from '../runbook/sql.js';
import { stepSqlHash } from './hash.js';
import { checkRecording } from './schema.js';
import {
  RECORDING_FORMAT,
  type RecordedEngine,
  type RecordedEntry,
  type RecordedStatement,
  type Recording,
  type RecordingCommand,
} from './types.js';

/** How many recordings are kept; the newest of each command and engine is kept whatever the count. */
export const RECORDINGS_KEEP = 50;
/** Rows kept per query: enough for every table the show displays, small enough to rewrite often. */
export const RECORDED_ROWS = 100;

const NAME = /^(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z)-(walk|check|restore)-(snowflake|local)(?:-\d+)?\.json$/;

export function recordingsDir(stateDir: string): string {
  return path.join(stateDir, 'recordings');
}

export interface RecordingRef {
  id: string;
  file: string;
  command: RecordingCommand;
  engine: RecordedEngine;
}

/** Every recording in the state dir, newest first (names sort by start time). */
export function listRecordings(stateDir: string): RecordingRef[] {
  const dir = recordingsDir(stateDir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((name) => ({ name, match: NAME.exec(name) }))
    .filter((n) => n.match)
    .map(({ name, match }) => ({
      id: name.slice(0, -'.json'.length),
      file: path.join(dir, name),
      command: match![2] as RecordingCommand,
      engine: match![3] as RecordedEngine,
    }))
    .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}

/** Where a runbook is, as recordings name it: relative to the state dir, so the same on any machine with the same layout. */
export function runbookPlace(stateDir: string, runbookFile: string): string {
  return path.relative(path.resolve(stateDir), path.resolve(runbookFile)).split(path.sep).join('/');
}

/**
 * Whether a recording is a run of this runbook (`runbookFile` absolute or relative to the working
 * directory): the same file, placed relative to the state dir. Shows that share a state dir (two
 * runbooks in one repository) never replay, fall back on or report each other's figures, even where
 * step ids match. A recording made before the place was kept is judged by its file as the run named it.
 */
export function isOfRunbook(recording: Recording, runbookFile: string, stateDir: string): boolean {
  const place = recording.runbook.place;
  return place !== undefined ? place === runbookPlace(stateDir, runbookFile) : path.resolve(recording.runbook.file) === path.resolve(runbookFile);
}

/** A recording larger than this is not one of ours (100 rows per query keep them far smaller). */
const MAX_RECORDING_BYTES = 64 * 1024 * 1024;

/** A recording checked against the format's schema, or what is wrong with the file (one line). */
export function inspectRecording(file: string): { recording: Recording } | { problem: string } {
  const read = readTextFile(file, MAX_RECORDING_BYTES);
  if ('missing' in read) return { problem: 'file not found' };
  if ('problem' in read) return { problem: read.problem };
  let data: unknown;
  try {
    data = JSON.parse(read.text);
  } catch (error) {
    return { problem: `not JSON (${(error as Error).message})` };
  }
  return checkRecording(data);
}

/** A recording, or undefined when the file is missing or not a valid recording. */
export function readRecording(file: string): Recording | undefined {
  const inspected = inspectRecording(file);
  return 'recording' in inspected ? inspected.recording : undefined;
}

/** The one line that says a recording was skipped, and why. */
export function skippedWarning(file: string, problem: string): string {
  return `skipped recording ${path.basename(file)}: ${problem}`;
}

/** A temporary file older than this was left by a crash between write and rename. */
const STALE_TEMP_MS = 60 * 60_000;

/** Deletes the oldest recordings past `keep`, sparing the newest of each command and engine. */
export function pruneRecordings(stateDir: string, keep: number): void {
  const dir = recordingsDir(stateDir);
  const names = existsFile(dir) ? readdirSync(dir) : [];
  for (const name of names.filter((n) => n.endsWith('.tmp'))) {
    const file = path.join(dir, name);
    try {
      if (Date.now() - statSync(file).mtimeMs > STALE_TEMP_MS) rmSync(file, { force: true });
    } catch {
      // gone already (another demo renamed or removed it)
    }
  }
  const seen = new Set<string>();
  let kept = 0;
  for (const ref of listRecordings(stateDir)) {
    const kind = `${ref.command}-${ref.engine}`;
    const newestOfKind = !seen.has(kind);
    seen.add(kind);
    if (kept < keep || newestOfKind) {
      kept++;
      continue;
    }
    rmSync(ref.file, { force: true });
  }
}

export interface RecorderOptions {
  stateDir: string;
  runbook: Runbook;
  engine: RecordedEngine;
  command: RecordingCommand;
  params: Readonly<Record<string, ParamValue>>;
  keep?: number;
  now?: () => Date;
}

/**
 * Records one run. Nothing is written until the first step finishes (opening the show and quitting
 * leaves no empty recording behind); then the file is rewritten after each step.
 */
export class Recorder {
  private recording?: Recording;
  private filePath?: string;
  /** Statements seen by the tap, per step, until the step's outcome is recorded. */
  private readonly statements = new Map<string, RecordedStatement[]>();
  private readonly now: () => Date;
  /** When the run began (the recording is named after it), not when its first step finished. */
  private readonly startedAt: Date;
  /** A recording may be shared: the tapped engine's scrub takes connection details out of its messages. */
  private scrub = (text: string) => text;

  constructor(private readonly options: RecorderOptions) {
    this.now = options.now ?? (() => new Date());
    this.startedAt = this.now();
  }

  get file(): string | undefined {
    return this.filePath;
  }

  /** The engine, wrapped so every statement's query id and timings are noted for the recording. */
  tap(engine: Engine): Engine {
    if (engine.scrub) this.scrub = (text) => engine.scrub!(text);
    const note = (stepId: string, statement: RecordedStatement) => {
      const list = this.statements.get(stepId) ?? [];
      list.push(statement);
      this.statements.set(stepId, list);
    };
    return {
      kind: engine.kind,
      get note() {
        return engine.note;
      },
      // Kept visible through the tap: the checklist asks engines how many statements they run at once,
      // and where their connection is configured.
      concurrency: engine.concurrency,
      source: engine.source,
      scrub: engine.scrub && ((text: string) => engine.scrub!(text)),
      preflight: engine.preflight?.bind(engine),
      connect: (signal: AbortSignal) => engine.connect(signal),
      close: () => engine.close(),
      run: async (request: StatementRequest, options: RunOptions): Promise<StatementResult> => {
        const base = { index: request.index, count: request.count };
        try {
          const result = await engine.run(request, options);
          note(request.stepId, { ...base, queryId: result.queryId, elapsedMs: result.elapsedMs, server: result.server, rowCount: result.rowCount });
          return result;
        } catch (error) {
          note(request.stepId, { ...base, queryId: (error as { queryId?: string }).queryId, error: this.scrub(error instanceof Error ? error.message : String(error)) });
          throw error;
        }
      },
    } as Engine;
  }

  /**
   * Adds a step's outcome and rewrites the file. Never throws: a show must not stop because the
   * disk is full. Returns a sentence for the presenter when the recording could not be written.
   */
  record(kind: 'step' | 'check', step: Step, outcome: StepOutcome, startedAt: Date, check?: CheckResult): string | undefined {
    try {
      const entry = this.entry(kind, step, outcome, startedAt, check);
      const recording = this.open();
      recording.entries.push(entry);
      recording.updatedAt = entry.finishedAt;
      writeAtomically(this.filePath!, JSON.stringify(recording));
      return undefined;
    } catch (error) {
      return `not recorded: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Marks the run as ended normally. */
  finish(): void {
    if (!this.recording || !this.filePath) return;
    try {
      this.recording.finishedAt = this.now().toISOString();
      writeAtomically(this.filePath, JSON.stringify(this.recording));
    } catch {
      // The steps are already on disk; only the end mark is missing.
    }
  }

  private open(): Recording {
    if (this.recording) return this.recording;
    const { stateDir, runbook, engine, command, params } = this.options;
    const dir = recordingsDir(stateDir);
    privateDir(dir);
    const startedAt = this.startedAt.toISOString();
    const stamp = startedAt.replace(/:/g, '-');
    let id = `${stamp}-${command}-${engine}`;
    for (let n = 2; existsFile(path.join(dir, `${id}.json`)); n++) id = `${stamp}-${command}-${engine}-${n}`;
    this.filePath = path.join(dir, `${id}.json`);
    this.recording = {
      format: RECORDING_FORMAT,
      id,
      command,
      runbook: { title: runbook.title, file: runbook.file, place: runbookPlace(stateDir, runbookPath(runbook)) },
      engine,
      startedAt,
      updatedAt: startedAt,
      params: { ...params },
      entries: [],
    };
    writeAtomically(this.filePath, JSON.stringify(this.recording));
    pruneRecordings(stateDir, this.options.keep ?? RECORDINGS_KEEP);
    return this.recording;
  }

  private entry(kind: 'step' | 'check', step: Step, outcome: StepOutcome, startedAt: Date, check?: CheckResult): RecordedEntry {
    const finished = this.now();
    const statements = this.statements.get(step.id) ?? [];
    this.statements.delete(step.id);
    const sizes = [...statements.map((s) => s.server?.warehouseSize), ...outcome.queries.map((q) => q.result.server?.warehouseSize)];
    return {
      kind,
      stepId: step.id,
      title: step.title,
      startedAt: startedAt.toISOString(),
      finishedAt: finished.toISOString(),
      sqlHash: stepSqlHash(step, this.options.engine, this.options.params),
      status: outcome.status,
      elapsedMs: outcome.elapsedMs,
      wallMs: Math.max(0, finished.getTime() - startedAt.getTime()),
      warehouseSize: sizes.find((s) => s !== undefined),
      queries: outcome.queries.map(({ label, result: { source: _source, ...result }, expectations }) => ({
        label,
        ...result,
        rows: result.rows.slice(0, RECORDED_ROWS),
        truncated: result.truncated || result.rows.length > RECORDED_ROWS,
        expectations,
      })),
      statements,
      error: outcome.error && { ...outcome.error, message: this.scrub(outcome.error.message), hint: outcome.error.hint && this.scrub(outcome.error.hint) },
      notices: outcome.notices.map(this.scrub),
      check: check ? { status: check.status, message: check.message && this.scrub(check.message), budgetMs: step.budgetMs } : undefined,
    };
  }
}

function existsFile(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads recordings for replay and fallback: newest first, each file parsed once (again only when it
 * changed, e.g. the recording this very show is writing).
 */
export class RecordingLibrary {
  private readonly cache = new Map<string, { mtimeMs: number; size: number; recording?: Recording; problem?: string }>();

  constructor(readonly stateDir: string) {}

  /** One line per recording read so far that was skipped, naming it and what is wrong with it. */
  warnings(): string[] {
    return [...this.cache].flatMap(([file, c]) => (c.problem ? [skippedWarning(file, c.problem)] : []));
  }

  refs(): RecordingRef[] {
    return listRecordings(this.stateDir);
  }

  load(ref: RecordingRef): Recording | undefined {
    let stat;
    try {
      stat = statSync(ref.file);
    } catch {
      return undefined;
    }
    const cached = this.cache.get(ref.file);
    if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.recording;
    const inspected = inspectRecording(ref.file);
    const recording = 'recording' in inspected ? inspected.recording : undefined;
    this.cache.set(ref.file, { mtimeMs: stat.mtimeMs, size: stat.size, recording, problem: 'problem' in inspected ? inspected.problem : undefined });
    return recording;
  }

  /**
   * The newest successful run of a step of this runbook, trying the engines in the order given (e.g.
   * live first, then local). Show steps come from `demo` and `demo restore` runs, checks from `demo check`.
   */
  latest(runbookFile: string, kind: 'step' | 'check', stepId: string, engines: readonly RecordedEngine[]): { recording: Recording; entry: RecordedEntry } | undefined {
    const refs = this.refs().filter((r) => (kind === 'check' ? r.command === 'check' : r.command !== 'check'));
    for (const engine of engines) {
      for (const ref of refs.filter((r) => r.engine === engine)) {
        const recording = this.load(ref);
        if (!recording || !isOfRunbook(recording, runbookFile, this.stateDir)) continue;
        const entry = recording.entries.filter((e) => e.kind === kind && e.stepId === stepId && e.status === 'done').at(-1);
        if (entry) return { recording, entry };
      }
    }
    return undefined;
  }
}
