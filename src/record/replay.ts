/**
 * Recordings brought back: rehearsal plays the last real run of each step, the fallback key shows
 * a step's last recorded result after a live failure. Either way the screen says where it came from.
 */
import type { QueryOutcome, StepOutcome } from '../core/runner.js';
import { originLabel } from '../core/sources.js';
import type { ResultOrigin, ResultSource } from '../engine/types.js';
import { formatDateTime } from '../format/numbers.js';
import { runbookPath, type Runbook, type Step } from '../runbook/model.js';
import { checkParamValue } from '../runbook/params.js';
import { stepSqlHash } from './hash.js';
import { RecordingLibrary } from './store.js';
import type { RecordedEngine, RecordedEntry, Recording } from './types.js';

/** Live runs first: rehearsal and fallback prefer what Snowflake really did over the laptop. */
export const REPLAY_ORDER: readonly RecordedEngine[] = ['snowflake', 'local'];

export interface Replay {
  recording: Recording;
  entry: RecordedEntry;
  /** The step's SQL (for the recording's engine and params) is not what was recorded. */
  readonly stale: boolean;
}

const libraries = new Map<string, RecordingLibrary>();

/** One library per state dir per process, so the rehearsal engine and the CLI parse each file once. */
export function libraryFor(stateDir: string): RecordingLibrary {
  let library = libraries.get(stateDir);
  if (!library) libraries.set(stateDir, (library = new RecordingLibrary(stateDir)));
  return library;
}

export function findReplay(
  library: RecordingLibrary,
  runbook: Pick<Runbook, 'dir' | 'file'>,
  kind: 'step' | 'check',
  step: Step,
  engines: readonly RecordedEngine[] = REPLAY_ORDER,
): Replay | undefined {
  const found = library.latest(runbookPath(runbook), kind, step.id, engines);
  if (!found) return undefined;
  let stale: boolean | undefined;
  return {
    ...found,
    // Rendering and hashing the step waits until the step is replayed: not on the first frame.
    get stale() {
      stale ??= found.entry.sqlHash !== undefined && stepSqlHash(step, found.recording.engine, found.recording.params) !== found.entry.sqlHash;
      return stale;
    },
  };
}

/** "live" for Snowflake, "local" for DuckDB: how a recording's origin is named on screen. */
export function originName(engine: RecordedEngine): string {
  return engine === 'snowflake' ? 'live' : 'local';
}

/** "the live run of 2026-11-20 14:03" */
export function runName(recording: Recording): string {
  return `the ${originName(recording.engine)} run of ${formatDateTime(recording.startedAt)}`;
}

export function staleNotice(replay: Replay): string {
  return `stale: this step's SQL changed since it was recorded (${formatDateTime(replay.entry.finishedAt)}); the figures are from the old SQL`;
}

/** Which engine, scale and run a recorded step's figures come from (the run's start names it). */
export function recordedOrigin(recording: Recording, entry: RecordedEntry): ResultOrigin {
  return { engine: recording.engine, recordedAt: recording.startedAt, params: recording.params, warehouseSize: entry.warehouseSize };
}

/**
 * A recorded step's queries as the runner's, each result under the given source label; with an
 * origin when they are shown as anything but that recording's own figures (fallback, rehearsal).
 */
export function recordedQueries(entry: RecordedEntry, source: ResultSource, origin?: ResultOrigin): QueryOutcome[] {
  return entry.queries.map(({ label, expectations, ...result }) => ({
    label,
    expectations,
    result: { ...result, source, ...(origin ? { origin: { ...origin, warehouseSize: result.server?.warehouseSize ?? origin.warehouseSize } } : {}) },
  }));
}

/**
 * A recorded outcome as the fallback shows it: every result labelled RECORDED, the outcome dated,
 * and a notice that says it is not live. Never passed off as this run's.
 */
export function recordedOutcome(replay: Replay): StepOutcome {
  const { recording, entry } = replay;
  const origin = recordedOrigin(recording, entry);
  return {
    status: 'done',
    queries: recordedQueries(entry, 'recorded', origin),
    elapsedMs: entry.elapsedMs,
    notices: [`${originLabel({ ...origin, recordedAt: entry.finishedAt })}, not live`, ...(replay.stale ? [staleNotice(replay)] : [])],
    recordedAt: entry.finishedAt,
    origin,
  };
}

export interface ReplayPlan {
  byStep: Map<string, Replay>;
  /** The run most replayed steps come from, named in the header. */
  primary?: Recording;
  /** Steps with SQL that come from the runbook's mocks (never recorded, or not on any engine run). */
  fromMocks: number;
  /** Steps replayed from a run other than the primary one. */
  fromOtherRuns: number;
  note?: string;
}

/** Which recording each step of the show (or of the checklist) replays, and the header's note. */
export function planReplay(runbook: Runbook, stateDir: string, scope: 'show' | 'check'): ReplayPlan {
  const library = libraryFor(stateDir);
  const steps = (scope === 'show' ? [...runbook.steps, runbook.restore] : runbook.checklist).filter((s) => s.queries.length > 0);
  const byStep = new Map<string, Replay>();
  for (const step of steps) {
    const replay = findReplay(library, runbook, scope === 'show' ? 'step' : 'check', step);
    if (replay) byStep.set(step.id, replay);
  }
  const used = [...byStep.values()].map((r) => r.recording);
  const count = (id: string) => used.filter((r) => r.id === id).length;
  // Live before local; among those, the run that supplies the most steps, then the newest.
  const primary = [...new Map(used.map((r) => [r.id, r])).values()].sort(
    (a, b) => Number(b.engine === 'snowflake') - Number(a.engine === 'snowflake') || count(b.id) - count(a.id) || (a.id < b.id ? 1 : -1),
  )[0];
  const fromMocks = steps.length - byStep.size;
  const fromOtherRuns = primary ? used.length - count(primary.id) : 0;
  let note: string | undefined;
  if (primary) {
    const extras = [
      fromOtherRuns > 0 ? `${fromOtherRuns} step${fromOtherRuns === 1 ? '' : 's'} from other runs` : '',
      fromMocks > 0 ? `${fromMocks} from the runbook's mocks` : '',
    ].filter(Boolean);
    note = `replaying ${originName(primary.engine)} run of ${formatDateTime(primary.startedAt)}${extras.length ? ` (${extras.join(', ')})` : ''}`;
  }
  return { byStep, primary, fromMocks, fromOtherRuns, note };
}

/**
 * The params a rehearsal renders and checks with: those of the run it replays, so a replayed
 * local run at multiplier 2 is judged against multiplier 2. Only params this runbook still declares
 * are carried over, as strings for the usual typed check; the command line still wins.
 */
export function replayedParams(runbook: Runbook, plan: ReplayPlan): Record<string, string> {
  return acceptedParams(runbook, plan.primary?.params ?? {});
}

/**
 * The params of a recording that this runbook declares and that fit their type, as strings: a
 * recording is someone else's file, so nothing else from it is ever rendered into SQL.
 */
export function acceptedParams(runbook: Runbook, recorded: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(recorded)) {
    const spec = Object.hasOwn(runbook.params, name) ? runbook.params[name] : undefined;
    if (spec && (typeof value === 'string' || typeof value === 'number') && 'value' in checkParamValue(spec, value)) out[name] = String(value);
  }
  return out;
}
