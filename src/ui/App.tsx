/**
 * The show on screen. Renders the walkthrough state and dispatches actions; the steps themselves
 * run in ShowSession (plain async code), never here. Every row of the frame is accounted for, so
 * the frame is always exactly one row shorter than the terminal, whatever its size or content.
 */
import { Box, Text, useApp, useInput, type Key } from 'ink';
import React, { useCallback, useEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore } from 'react';
import type { StepOutcome } from '../core/runner.js';
import type { ShowSession } from '../core/session.js';
import { originLabel, originOf, paramsDiffering, SOURCE_LABELS, sourceTag } from '../core/sources.js';
import { initialState, runningStepId, runOf, walkReducer, type StepRun, type WalkAction, type WalkState } from '../core/walkthrough.js';
import { ENGINE_BADGES, type ConnectionState, type Engine, type EngineKind } from '../engine/types.js';
import { formatDateTime, formatDuration, formatTimeOfDay } from '../format/numbers.js';
import type { RemoteCommand, ShowLink } from '../presenter/protocol.js';
import { liteState, showInfoOf } from '../presenter/protocol.js';
import { runsOn, type Runbook, type Step } from '../runbook/model.js';
import { renderRunbookText, type Measured } from '../runbook/text.js';
import { comparisonLines } from './components/ComparisonLines.js';
import { Footer } from './components/Footer.js';
import { Header } from './components/Header.js';
import { Overlay, overlaySummary, type OverlayState, type ScrollLimits } from './components/Overlay.js';
import { architectureLines, layerRows, resultLines, type Line } from './components/ResultLines.js';
import { StatusLine } from './components/StatusLine.js';
import { StepHeading, talkLines } from './components/StepHeading.js';
import { ClockProvider, useNow } from './hooks/clock.js';
import { SPIN, spun } from './components/Spinner.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import { stepLabel } from './show.js';
import { actionFor, CONFIRM_KEYS, CTRL_C_WINDOW_MS, eachKey, firstKey, GLOBAL_KEYS, LIST_KEYS, OVERLAY_KEYS, SHOW_KEYS, type Action } from './keymap.js';
import { capital, clip, oneLine } from './text.js';
import { color } from './theme.js';

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;
/** Header (2), step heading, status line, footer (2): the rows that are always there. */
export const CHROME_ROWS = 6;

export interface AppProps {
  runbook: Runbook;
  session: ShowSession;
  audience?: boolean;
  now?: () => number;
  /** Called once when the presenter quits, with the exit code. */
  onExit?: (code: number) => void;
  /** The presenter console's link: the show publishes its state there and takes its commands. */
  remote?: ShowLink;
  /** Shown on the status line at start, e.g. why the presenter console is unavailable. */
  initialMessage?: string;
  /** The flags that select this engine and params, for the commands the screen names ("--engine local"). */
  flags?: string;
  /** Rehearsal: the engine whose run it replays, whose words it speaks. */
  speaksFor?: EngineKind;
}

interface Message {
  text: string;
  at: number;
  /** Cleared at this time, e.g. the Ctrl-C hint when its window closes. */
  until?: number;
}

/** A scroll position that belongs to the step it was made on: arriving on a step starts at the top. */
interface StepScroll {
  step: number;
  offset: number;
}

function findStep(runbook: Runbook, id: string): Step {
  return id === runbook.restore.id ? runbook.restore : runbook.steps.find((s) => s.id === id)!;
}

/** The most recent layer counts of the show, for the architecture diagram: which step, when. */
function latestCounts(runbook: Runbook, state: WalkState, stepId: string): { outcome?: StepOutcome; origin?: string } {
  const own = runOf(state, stepId);
  const candidates = Object.entries(state.runs)
    .filter(([, run]) => run.outcome?.status === 'done' && run.outcome.queries.some((q) => layerRows(q.result)))
    .sort(([, a], [, b]) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0));
  const [id, run] = candidates[0] ?? [stepId, own];
  if (!run.outcome) return {};
  const at = run.finishedAt ? ` at ${formatTimeOfDay(run.finishedAt, true)}` : '';
  return { outcome: run.outcome, origin: `from '${oneLine(findStep(runbook, id).title)}'${at}` };
}

/**
 * Where the figures below came from, in one row: source (and, in a rehearsal, what it replays),
 * time taken, when. While the step runs again, they are the previous run's and say so.
 */
function provenance(run: StepRun, width: number): Line | undefined {
  const outcome = run.outcome;
  const first = outcome?.queries[0]?.result;
  if (!outcome || !first) return undefined;
  const origin = originOf(first);
  // A recording names its engine and date in full; otherwise the tag says what answered.
  const sources = origin.recordedAt
    ? `${SOURCE_LABELS[first.source]} · ${originLabel(origin)}`
    : [...new Set(outcome.queries.map((q) => sourceTag(q.result)))].join('/');
  const previous = run.status === 'running';
  const finished = previous ? run.previousFinishedAt : run.finishedAt;
  const at = finished ? ` · finished ${formatTimeOfDay(finished, true)}` : '';
  const qid = outcome.queries.length === 1 && first.queryId ? ` · query ${first.queryId}` : '';
  return (
    <Text key="prov" color={color(previous ? 'warn' : 'muted')} wrap="truncate">
      {clip(`${previous ? 'PREVIOUS RUN, not this one: ' : ''}${sources} · ${formatDuration(outcome.elapsedMs)}${at}${qid}`, width)}
    </Text>
  );
}

/** The fallback's banner: RECORDED, when, on which engine, at which params when they differ. */
function fallbackBanner(outcome: StepOutcome, params: Readonly<Record<string, string | number>>): string {
  const origin = outcome.origin;
  const when = outcome.recordedAt ? formatDateTime(outcome.recordedAt) : 'earlier';
  if (!origin) return ` RECORDED ${when} · NOT LIVE `;
  const engine = origin.engine === 'local' ? 'DuckDB (the local engine)' : origin.engine === 'snowflake' ? `Snowflake${origin.warehouseSize ? ` ${origin.warehouseSize}` : ''}` : 'a mock';
  const differing = paramsDiffering(origin, params);
  const scale = differing ? ` · ${differing} (this run: ${differing.split(', ').map((p) => `${p.split('=')[0]}=${params[p.split('=')[0]!]}`).join(', ')})` : ' · same params as this run';
  return ` RECORDED ${when} on ${engine}${scale} · NOT LIVE `;
}

function failureLines(outcome: StepOutcome, width: number): Line[] {
  const e = outcome.error;
  if (outcome.status !== 'failed' || !e) return [];
  const lines: Line[] = [
    <Text key="err" color={color('bad')} wrap="truncate">
      {clip(`✗ ${oneLine(e.message)}${e.code ? ` (${e.code})` : ''}${e.where ? ` at ${e.where}` : ''}`, width)}
    </Text>,
  ];
  if (e.hint) lines.push(<Text key="hint" color={color('warn')} wrap="truncate">{clip(`  ${oneLine(e.hint)}`, width)}</Text>);
  return lines;
}

/** The current step's own run, above its (previous) result: which statement, what the engine says. */
function RunningLine({ run, width }: { run: StepRun; width: number }) {
  const now = useNow();
  const statement = run.statement ? ` statement ${run.statement.index + 1}/${run.statement.count}${run.statement.label ? ` (${oneLine(run.statement.label)})` : ''}` : '';
  const state = run.progress ? ` · ${oneLine(run.progress.state)}` : '';
  const cancelling = run.cancelRequested ? ' · cancelling' : '';
  return (
    <Text color={color('accent')} wrap="truncate">
      {spun(clip(`${SPIN} running${statement}${state}${cancelling} · ${formatDuration(now - (run.startedAt ?? now))}`, width))}
    </Text>
  );
}

const ENGINE_NAMES: Record<EngineKind, string> = { snowflake: 'Snowflake', local: 'the local engine', rehearsal: 'rehearsal' };

interface BodyOptions {
  width: number;
  allRows: boolean;
  audience: boolean;
}

/** The body of a step: its result (or the recorded fallback, clearly marked), errors and notes. */
function bodyLines(runbook: Runbook, session: ShowSession, step: Step, state: WalkState, options: BodyOptions): Line[] {
  const { width } = options;
  const resultOptions = { allRows: options.allRows, hints: !options.audience, layers: runbook.layers };
  const run = runOf(state, step.id);
  if (step.display === 'comparison' && step.comparison) {
    const outcomes = Object.fromEntries(Object.entries(state.runs).map(([id, r]) => [id, r.outcome]));
    return comparisonLines(step.comparison, outcomes, session.params, width, session.engine.kind, {
      name: (id) => stepLabel(runbook, id),
      runsHere: (id) => runsOn(findStep(runbook, id), session.engine.kind),
    });
  }
  if (run.fallback) {
    const banner = fallbackBanner(run.fallback, session.params);
    return [
      <Text key="fb" color={color('warn')} bold inverse wrap="truncate">
        {clip(banner, width)}
      </Text>,
      <Text key="fb2" color={color('muted')} wrap="truncate">
        {clip(`this run ${run.status}; below is the last recorded result`, width)}
      </Text>,
      ...(run.outcome ? failureLines(run.outcome, width) : []),
      ...resultLines(step.display, run.fallback, width, resultOptions),
    ];
  }
  const lines: Line[] = [];
  if (run.status === 'running') {
    lines.push(<RunningLine key="running" run={run} width={width} />);
    // Where to follow it: the query id and its Snowsight link, or the sign-in page to finish.
    const where = [run.progress?.detail, run.progress?.queryId && `query id ${run.progress.queryId}`].filter(Boolean).join(' · ');
    if (where) lines.push(<Text key="running-where" color={color('muted')} wrap="truncate">{clip(oneLine(where), width)}</Text>);
    if (run.progress?.url) lines.push(<Text key="running-url" color={color('accent')} wrap="truncate">{clip(oneLine(run.progress.url), width)}</Text>);
  }
  if (step.display === 'architecture') {
    const counts = latestCounts(runbook, state, step.id);
    lines.push(...architectureLines(counts.outcome, width, runbook.layers, counts.origin));
  } else {
    const prov = provenance(run, width);
    if (prov) lines.push(prov);
    lines.push(...resultLines(step.display, run.outcome, width, resultOptions));
  }
  // While it runs again, the previous run's error and notes are not this run's: only its figures stay, labelled.
  const finished = run.status === 'running' ? undefined : run.outcome;
  if (finished) lines.unshift(...failureLines(finished, width));
  for (const [i, notice] of (finished?.notices ?? []).entries()) {
    lines.push(
      <Text key={`n${i}`} color={color('muted')} wrap="truncate">
        {clip(`note: ${oneLine(notice)}`, width)}
      </Text>,
    );
  }
  if (run.status === 'idle' && step.queries.length > 0 && step.display !== 'architecture' && !options.audience) {
    const badge = ENGINE_BADGES[session.engine.kind];
    const text = runsOn(step, session.engine.kind)
      ? `enter runs this step on the ${badge} engine${step.destructive ? ' (asks first)' : ''}`
      : `this step runs on ${step.engines!.map((e) => ENGINE_NAMES[e]).join(', ')} only: nothing to run on the ${badge} engine`;
    lines.push(
      <Text key="idle" color={color('muted')} wrap="truncate">
        {clip(text, width)}
      </Text>,
    );
  }
  return lines;
}

/** The engine's connection state, rendered afresh on every change (undefined for engines without one). */
function useConnectionState(engine: Engine): ConnectionState | undefined {
  const subscribe = useCallback(
    (changed: () => void) => {
      engine.onConnectionState = changed;
      return () => {
        if (engine.onConnectionState === changed) engine.onConnectionState = undefined;
      };
    },
    [engine],
  );
  return useSyncExternalStore(subscribe, () => engine.connectionState);
}

/** What the text of the show can say this run measured: a step's time, and where it came from. */
function measuredIn(state: WalkState): (stepId: string) => Measured | undefined {
  return (stepId) => {
    const outcome = runOf(state, stepId).outcome;
    if (outcome?.status !== 'done' || !outcome.queries[0]) return undefined;
    const origin = originOf(outcome.queries[0].result);
    return { ms: outcome.elapsedMs, origin: origin.engine === 'mock' ? 'mock' : origin.recordedAt ? originLabel(origin) : undefined };
  };
}

export function App({ runbook, session, audience = false, now = Date.now, onExit, remote, initialMessage, flags, speaksFor }: AppProps) {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const [state, dispatch] = useReducer(walkReducer, undefined, () =>
    initialState(
      runbook.steps.map((s) => s.id),
      runbook.restore.id,
      now(),
    ),
  );
  const [overlay, setOverlayState] = useState<OverlayState>({ kind: 'none' });
  // Keys can arrive faster than renders: handlers read the latest overlay and state from refs.
  const overlayRef = useRef<OverlayState>(overlay);
  // How far an open dialog can scroll, as last drawn: keys never scroll past its end.
  const dialogLimits = useRef<ScrollLimits>({ max: 0, page: 1 });
  const setOverlay = useCallback((next: OverlayState) => {
    // Another dialog: nothing to scroll until it is drawn.
    if (next.kind !== overlayRef.current.kind) dialogLimits.current = { max: 0, page: 1 };
    overlayRef.current = next;
    setOverlayState(next);
  }, []);
  const stateRef = useRef<WalkState>(state);
  const act = useCallback((action: WalkAction) => {
    stateRef.current = walkReducer(stateRef.current, action);
    dispatch(action);
  }, []);
  const [scroll, setScrollState] = useState<StepScroll>({ step: 0, offset: 0 });
  const scrollRef = useRef(scroll);
  const setScroll = useCallback((next: StepScroll) => {
    scrollRef.current = next;
    setScrollState(next);
  }, []);
  // How far the body can scroll, as last drawn.
  const bodyLimits = useRef<ScrollLimits>({ max: 0, page: 1 });
  // Every row of the current step's result, instead of its first few.
  const [allRows, setAllRows] = useState<number | undefined>();
  const [blank, setBlank] = useState(false);
  const [message, setMessageState] = useState<Message | undefined>(() => (initialMessage ? { text: initialMessage, at: now() } : undefined));
  const say = useCallback((text: string | undefined, forMs?: number) => {
    const at = now();
    setMessageState(text ? { text, at, until: forMs === undefined ? undefined : at + forMs } : undefined);
  }, [now]);
  const connection = useConnectionState(session.engine);
  // A browser sign-in started before any step: its address goes on the status line.
  const loginUrl = connection?.status === 'connecting' ? connection.url : undefined;
  useEffect(() => {
    if (loginUrl) say(`Log in in your browser: ${loginUrl}`);
  }, [loginUrl, say]);
  const ctrlCAt = useRef<number | undefined>(undefined);
  const restorePending = useRef(false);
  const quitting = useRef(false);

  // The words on screen, rendered for this engine, these params and what this run has measured.
  const measuredKey = Object.entries(state.runs).map(([id, r]) => `${id}:${r.finishedAt ?? ''}`).join(',');
  const shown = useMemo(
    () => renderRunbookText(runbook, { params: session.params, engine: session.engine.kind, flags, speaksFor, measured: measuredIn(stateRef.current) }),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [runbook, session, flags, speaksFor, measuredKey],
  );
  const shownRef = useRef(shown);
  shownRef.current = shown;

  const step = shown.steps[state.current]!;
  const running = runningStepId(state);

  const quit = useCallback(
    (code: number) => {
      if (quitting.current) return;
      quitting.current = true;
      void session.close().finally(() => {
        onExit?.(code);
        exit();
      });
    },
    [session, exit, onExit],
  );

  /** Starts a step; returns its run id, or undefined when it could not start. */
  const start = useCallback(
    (target: Step): number | undefined => {
      const busy = runningStepId(stateRef.current);
      if (busy) {
        say(`${stepLabel(shownRef.current, busy)} is still running: wait for it, or Ctrl-C to cancel it`);
        return undefined;
      }
      if (target.queries.length === 0) {
        say('nothing to run on this step');
        return undefined;
      }
      say(undefined);
      act({ type: 'started', stepId: target.id, at: now() });
      const runId = runOf(stateRef.current, target.id).runId;
      void session
        .run(target, (event) => {
          if (event.type === 'statement') act({ type: 'statement', stepId: target.id, index: event.index, count: event.count, label: event.label });
          else act({ type: 'progress', stepId: target.id, progress: event.progress });
        })
        .catch((error: unknown): StepOutcome => ({ status: 'failed', queries: [], elapsedMs: 0, notices: [], error: { message: error instanceof Error ? error.message : String(error) } }))
        .then((outcome: StepOutcome) => {
          const run = runOf(stateRef.current, target.id);
          act({ type: 'finished', stepId: target.id, outcome, at: now(), runId });
          // Wall time: a cancelled step's own figure only counts the statements that finished.
          const took = formatDuration(now() - (run.startedAt ?? now()));
          const title = oneLine(findStep(shownRef.current, target.id).title);
          // A cancel says when it is done, wherever the presenter is (the "cancelling…" line goes).
          const label = stepLabel(shownRef.current, target.id);
          if (outcome.status === 'cancelled') return say(`– ${label} cancelled after ${took}: ${title}`, 8000);
          // A step that finished in the background says so wherever the presenter is.
          const here = stateRef.current.stepIds[stateRef.current.current];
          if (target.id !== here && !(target.id === runbook.restore.id && overlayRef.current.kind === 'restore')) {
            const mark = outcome.status === 'done' ? '✓' : outcome.status === 'failed' ? '✗' : '–';
            // Short facts first: a narrow status line cuts the title, not the news.
            say(`${mark} ${label} ${outcome.status} after ${took}: ${title}`);
          }
        });
      return runId;
    },
    [session, now, act, say, runbook.restore.id],
  );

  const askToRun = useCallback(
    (target: Step) => {
      // Nothing to confirm for a step this engine does not run: say so instead of asking.
      if (!runsOn(target, session.engine.kind)) {
        say(`${capital(stepLabel(shownRef.current, target.id))} runs on ${target.engines!.map((e) => ENGINE_NAMES[e]).join(', ')} only: nothing to run on the ${ENGINE_BADGES[session.engine.kind]} engine`);
        return;
      }
      if (target.destructive && target.queries.length > 0 && !runningStepId(stateRef.current)) setOverlay({ kind: 'confirm', stepId: target.id, scroll: 0 });
      else start(target);
    },
    [start, setOverlay, say, session],
  );

  /** Restore, bound to the run it starts: its result on screen is always this run's. */
  const startRestore = useCallback(() => {
    const runId = start(runbook.restore);
    if (runId !== undefined) setOverlay({ kind: 'restore', scroll: 0, runId });
  }, [start, runbook.restore, setOverlay]);

  const openRestore = useCallback(() => {
    const current = overlayRef.current;
    const busy = runningStepId(stateRef.current);
    // Already asking, or following a restore that is on its way: nothing to open.
    if (current.kind === 'cancel-first' || (current.kind === 'restore' && (current.waiting || current.runId === undefined))) return;
    if (busy === runbook.restore.id) {
      setOverlay({ kind: 'restore', scroll: 0, runId: runOf(stateRef.current, busy).runId });
      return;
    }
    if (busy) setOverlay({ kind: 'cancel-first', stepId: busy, scroll: 0 });
    // A fresh question every time: the last restore's result is history.
    else setOverlay({ kind: 'restore', scroll: 0 });
  }, [runbook.restore.id, setOverlay]);

  const cancelRunning = useCallback((): boolean => {
    const busy = runningStepId(stateRef.current);
    if (!busy || stateRef.current.runs[busy]?.cancelRequested) return false;
    act({ type: 'cancel-requested', stepId: busy });
    session.cancel();
    return true;
  }, [act, session]);

  const navigate = useCallback(
    (action: WalkAction) => {
      act(action);
      say(undefined);
    },
    [act, say],
  );

  const fallback = useCallback(() => {
    const current = runbook.steps[stateRef.current.current]!;
    const run = runOf(stateRef.current, current.id);
    if (run.status !== 'failed' && run.status !== 'cancelled') {
      say('f shows the recorded result of a step whose run failed or was cancelled; this one has not');
      return;
    }
    let outcome: StepOutcome | undefined;
    try {
      outcome = session.fallback(current.id);
    } catch (error) {
      say(`the recording of this step cannot be read: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    // A recording that could not be read was passed over: say so, on one line, naming it.
    const skipped = session.recordingWarnings();
    const warning = skipped.length ? `warning: ${skipped[0]}${skipped.length > 1 ? ` (and ${skipped.length - 1} more)` : ''}` : undefined;
    if (!outcome) {
      say(`no recording of this step yet${warning ? `; ${warning}` : ''}`);
      return;
    }
    act({ type: 'fallback', stepId: current.id, outcome });
    say(warning);
  }, [runbook, session, act, say]);

  /** Scrolls the body: clamped to what is on screen; a page past either end moves to the next or previous step. */
  const scrollBody = useCallback(
    (action: 'scrollDown' | 'scrollUp' | 'pageDown' | 'pageUp' | 'top' | 'bottom') => {
      const here = stateRef.current.current;
      const { max, page } = bodyLimits.current;
      const offset = Math.min(max, scrollRef.current.step === here ? scrollRef.current.offset : 0);
      if (action === 'pageDown' && offset >= max) return navigate({ type: 'next', at: now() });
      if (action === 'pageUp' && offset <= 0) return navigate({ type: 'previous', at: now() });
      const next = { scrollDown: offset + 1, scrollUp: offset - 1, pageDown: offset + page, pageUp: offset - page, top: 0, bottom: max }[action];
      setScroll({ step: here, offset: Math.max(0, Math.min(max, next)) });
    },
    [navigate, now, setScroll],
  );

  /** The scroll of a dialog after a scrolling action, clamped to its content. */
  const dialogScroll = (offset: number, action: Action | undefined): number | undefined => {
    const { max, page } = dialogLimits.current;
    const from = Math.min(max, offset);
    const moves: Partial<Record<Action, number>> = { scrollDown: from + 1, scrollUp: from - 1, pageDown: from + page, pageUp: from - page, top: 0, bottom: max };
    const next = action ? moves[action] : undefined;
    return next === undefined ? undefined : Math.max(0, Math.min(max, next));
  };

  /** One action in the context of whatever is on screen: keys and the presenter console both land here. */
  const perform = useCallback(
    (action: Action | undefined) => {
      const overlay = overlayRef.current;
      const s = stateRef.current;
      switch (overlay.kind) {
        case 'help':
        case 'sql': {
          if (action === 'dismiss') return setOverlay({ kind: 'none' });
          const scrolled = dialogScroll(overlay.scroll, action);
          if (scrolled !== undefined) setOverlay({ ...overlay, scroll: scrolled });
          return;
        }
        case 'jump': {
          const last = runbook.steps.length - 1;
          const page = dialogLimits.current.page;
          const cursor = { scrollDown: overlay.cursor + 1, scrollUp: overlay.cursor - 1, pageDown: overlay.cursor + page, pageUp: overlay.cursor - page, top: 0, bottom: last } as Partial<Record<Action, number>>;
          if (action === 'dismiss') setOverlay({ kind: 'none' });
          else if (action && cursor[action] !== undefined) setOverlay({ kind: 'jump', cursor: Math.max(0, Math.min(last, cursor[action]!)) });
          else if (action === 'confirm') {
            setOverlay({ kind: 'none' });
            navigate({ type: 'jump', index: overlay.cursor, at: now() });
          }
          return;
        }
        case 'quit':
        case 'confirm':
        case 'cancel-first':
        case 'restore': {
          const scrolled = dialogScroll(overlay.scroll, action);
          if (scrolled !== undefined) return setOverlay({ ...overlay, scroll: scrolled });
          if (action === 'sql' && overlay.kind === 'confirm') return setOverlay({ ...overlay, sql: !overlay.sql, scroll: 0 });
          if (action === 'dismiss') {
            if (overlay.kind === 'restore' && overlay.waiting) {
              restorePending.current = false;
              say('restore not started');
            }
            return setOverlay({ kind: 'none' });
          }
          if (action !== 'confirm') return;
          if (overlay.kind === 'quit') {
            cancelRunning();
            quit(0);
          } else if (overlay.kind === 'confirm') {
            setOverlay({ kind: 'none' });
            start(findStep(runbook, overlay.stepId));
          } else if (overlay.kind === 'cancel-first') {
            // One yes for both: the step is cancelled, and restore starts once it has really stopped.
            if (!runningStepId(s)) return startRestore();
            cancelRunning();
            restorePending.current = true;
            setOverlay({ kind: 'restore', scroll: 0, waiting: true });
          } else if (!overlay.waiting) {
            const run = runOf(s, runbook.restore.id);
            const bound = overlay.runId !== undefined && run.runId === overlay.runId;
            // Following a restore: running, nothing to answer; done, R asks afresh.
            if (bound && run.status === 'running') return;
            if (bound && run.status === 'done') return say(`${firstKey(GLOBAL_KEYS, 'restore')} restores again`);
            const busy = runningStepId(s);
            if (busy) setOverlay({ kind: 'cancel-first', stepId: busy, scroll: 0 });
            else startRestore();
          }
          return;
        }
        case 'none':
          break;
      }

      switch (action) {
        case 'next':
          navigate({ type: 'next', at: now() });
          break;
        case 'previous':
          navigate({ type: 'previous', at: now() });
          break;
        case 'run':
          askToRun(runbook.steps[s.current]!);
          break;
        case 'fallback':
          fallback();
          break;
        case 'jump':
          setOverlay({ kind: 'jump', cursor: s.current });
          break;
        case 'help':
          setOverlay({ kind: 'help', scroll: 0 });
          break;
        case 'sql':
          setOverlay({ kind: 'sql', scroll: 0 });
          break;
        case 'restore':
          openRestore();
          break;
        case 'scrollDown':
        case 'scrollUp':
        case 'pageDown':
        case 'pageUp':
        case 'top':
        case 'bottom':
          scrollBody(action);
          break;
        case 'allRows':
          setAllRows((on) => (on === s.current ? undefined : s.current));
          break;
        case 'blank':
          setBlank((on) => !on);
          break;
        case 'talkClock':
          act({ type: 'talk-restarted', at: now() });
          say('talk clock started: every timer from zero', 3000);
          break;
        case 'quit':
          setOverlay({ kind: 'quit', scroll: 0 });
          break;
        default:
          break;
      }
    },
    // dialogScroll reads refs only.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [runbook, now, setOverlay, navigate, cancelRunning, quit, start, startRestore, say, askToRun, fallback, openRestore, scrollBody, act],
  );

  /** Ctrl-C: cancel what runs; a second press within the window quits, a later one counts as a first. */
  const interrupt = useCallback(() => {
    const seconds = CTRL_C_WINDOW_MS / 1000;
    const armed = ctrlCAt.current !== undefined && now() - ctrlCAt.current <= CTRL_C_WINDOW_MS;
    if (cancelRunning()) {
      ctrlCAt.current = now();
      say(`cancelling ${stepLabel(shownRef.current, runningStepId(stateRef.current)!)}… (Ctrl-C again within ${seconds} s quits)`, CTRL_C_WINDOW_MS);
    } else if (armed) quit(130);
    else {
      ctrlCAt.current = now();
      say(`press Ctrl-C again within ${seconds} s to quit`, CTRL_C_WINDOW_MS);
    }
  }, [cancelRunning, now, quit, say]);

  const onKey = useCallback(
    (input: string, key: Key) => {
      const global = actionFor(GLOBAL_KEYS, input, key);
      // Ctrl-C works everywhere: cancel first, quit on a second press soon after.
      if (global === 'cancel') return interrupt();
      ctrlCAt.current = undefined;
      if (global === 'restore') return openRestore();
      const kind = overlayRef.current.kind;
      const map = kind === 'none' ? SHOW_KEYS : kind === 'help' || kind === 'sql' ? OVERLAY_KEYS : kind === 'jump' ? LIST_KEYS : CONFIRM_KEYS;
      perform(actionFor(map, input, key));
    },
    [interrupt, openRestore, perform],
  );

  useInput(useCallback((input: string, key: Key) => eachKey(input, key, onKey), [onKey]));

  // The presenter console: its commands go through the same `perform` as the keys.
  const onRemote = useCallback(
    (command: RemoteCommand) => {
      const kind = overlayRef.current.kind;
      const question = overlaySummary(overlayRef.current, runbook, stateRef.current)?.question ?? false;
      switch (command.action) {
        case 'cancel':
          if (!cancelRunning()) remote?.reply('nothing is running');
          return;
        case 'restore':
          return openRestore();
        case 'confirm':
          if (!question) remote?.reply('the show is not asking anything');
          else perform('confirm');
          return;
        case 'dismiss':
          if (kind === 'none') remote?.reply('the show has nothing open');
          else perform('dismiss');
          return;
        case 'blank':
        case 'talkClock':
          return perform(command.action);
        default:
          break;
      }
      if (question) {
        remote?.reply('the show is asking a question: answer it first (y or esc)');
        return;
      }
      // Moving from the console closes what only shows something (help, SQL, the jump list, a finished restore).
      if (kind !== 'none') setOverlay({ kind: 'none' });
      if (command.action === 'jump') {
        if (command.index === undefined || command.index >= runbook.steps.length) remote?.reply('no such step');
        else navigate({ type: 'jump', index: command.index, at: now() });
      } else if (command.action === 'run') askToRun(runbook.steps[stateRef.current.current]!);
      else perform(command.action);
    },
    [remote, runbook, now, cancelRunning, openRestore, perform, setOverlay, navigate, askToRun],
  );
  useEffect(() => remote?.onCommand(onRemote), [remote, onRemote]);

  // Estimates come from recordings on disk; a broken one must cost the estimate, not the show.
  const expectedMs = useCallback((id: string) => {
    try {
      return session.expectedMs(id);
    } catch {
      return undefined;
    }
  }, [session]);

  const showInfo = useMemo(() => showInfoOf(shown), [shown]);
  useEffect(() => {
    if (!remote) return;
    const expected = running ? expectedMs(running) : undefined;
    remote.publish({
      state: liteState(state),
      expectedMs: running && expected !== undefined ? { [running]: expected } : {},
      message,
      dialog: overlaySummary(overlay, shown, state),
      show: showInfo,
      blank,
    });
  }, [remote, state, overlay, message, running, expectedMs, shown, showInfo, blank]);

  // A message with an end (the Ctrl-C window) goes when it ends.
  useEffect(() => {
    if (message?.until === undefined) return;
    const timer = setTimeout(() => setMessageState((m) => (m === message ? undefined : m)), Math.max(0, message.until - now()));
    return () => clearTimeout(timer);
  }, [message, now]);

  // Asked to cancel a step that has finished meanwhile: the question becomes restore's own.
  useEffect(() => {
    const current = overlayRef.current;
    if (current.kind === 'cancel-first' && runOf(stateRef.current, current.stepId).status !== 'running') setOverlay({ kind: 'restore', scroll: 0 });
  }, [running, setOverlay]);

  // Restore confirmed while another step was being cancelled: start it once that step has stopped.
  useEffect(() => {
    if (restorePending.current && !running) {
      restorePending.current = false;
      const current = overlayRef.current;
      if (current.kind === 'restore' && current.waiting) startRestore();
    }
  }, [running, startRestore]);

  const engine = { kind: session.engine.kind, note: session.engine.note, connection };
  const frameHeight = Math.max(0, rows - 1);

  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    const dialog = overlaySummary(overlay, shown, state);
    const lines = [
      `The terminal is ${columns}×${rows}: make it at least ${MIN_COLUMNS}×${MIN_ROWS} to show the runbook.`,
      running ? `Still running: ${stepLabel(shown, running)}.` : '',
      dialog ? `Open: ${dialog.title} (${dialog.hint})` : 'Keys still work (q quits, R restores).',
    ].filter(Boolean);
    // Word-wrapped by Ink inside a box that clips: at any size the message fits or is cut, never scrolls.
    return (
      <ClockProvider fast={false} now={now}>
        <Box height={frameHeight} width={columns} flexDirection="column">
          {lines.map((l, i) => (
            <Text key={i} color={color(i === 0 ? 'warn' : 'muted')} wrap="wrap">
              {l}
            </Text>
          ))}
        </Box>
      </ClockProvider>
    );
  }

  // Blanked for the room: nothing at all, unless a dialog needs an answer or shows a restore.
  if (blank && overlay.kind === 'none') {
    return <Box height={frameHeight} width={columns} />;
  }

  const width = columns - 2;
  const available = Math.max(0, frameHeight - CHROME_ROWS);
  let region: React.ReactNode;
  let more: string | undefined;
  if (overlay.kind !== 'none') {
    region = (
      <Overlay
        overlay={overlay}
        runbook={shown}
        step={step}
        state={state}
        height={available}
        width={width}
        engine={session.engine.kind}
        params={session.params}
        expectedMs={expectedMs}
        audience={audience}
        limits={dialogLimits}
      />
    );
  } else {
    let talk = audience ? [] : talkLines(step.talk, width);
    const lay = (body: Line[]) => {
      const gap = talk.length > 0 && body.length > 0 ? 1 : 0;
      // Talk and result share the space; when both do not fit, each gets at least half.
      let talkRows = talk.length;
      if (talk.length + gap + body.length > available) {
        talkRows = Math.min(talk.length, Math.max(Math.ceil((available - gap) / 2), available - gap - body.length));
      }
      return Math.max(0, Math.min(talkRows, available));
    };
    const options = { width, audience, allRows: allRows === state.current };
    let body = bodyLines(shown, session, step, state, options);
    // Every row of the result whenever they all fit anyway.
    if (!options.allRows) {
      const full = bodyLines(shown, session, step, state, { ...options, allRows: true });
      if (full.length > body.length && talk.length + (talk.length ? 1 : 0) + full.length <= available) body = full;
    }
    const talkRows = lay(body);
    if (talkRows < talk.length) {
      const hidden = talk.length - talkRows + 1;
      talk = [
        ...talk.slice(0, Math.max(0, talkRows - 1)),
        <Text key="talk-more" color={color('muted')} wrap="truncate">
          {`    … ${hidden} more row${hidden === 1 ? '' : 's'} of talk (demo presenter shows them all)`}
        </Text>,
      ].slice(0, talkRows);
    }
    const bodyRows = Math.max(0, available - talk.length - (talk.length > 0 && body.length > 0 ? 1 : 0));
    const maxOffset = Math.max(0, body.length - bodyRows);
    bodyLimits.current = { max: maxOffset, page: Math.max(1, bodyRows - 1) };
    const offset = Math.min(scroll.step === state.current ? scroll.offset : 0, maxOffset);
    const visible = body.slice(offset, offset + bodyRows);
    if (body.length > bodyRows && bodyRows > 0) more = `${offset + 1}-${offset + visible.length}/${body.length}${audience ? '' : ' ↑↓'}`;
    region = (
      <>
        {talk}
        {talk.length > 0 && visible.length > 0 ? <Text> </Text> : null}
        {visible}
      </>
    );
  }

  return (
    <ClockProvider fast={running !== undefined} now={now}>
      <Box flexDirection="column" height={frameHeight} width={columns} paddingX={1}>
        <Header show={shown} state={state} engine={engine} width={width} audience={audience} />
        <StepHeading step={step} index={state.current} state={state} width={width} audience={audience} />
        <Box flexDirection="column" height={available}>
          {region}
        </Box>
        <StatusLine show={shown} state={state} message={message} more={more} width={width} expectedMs={expectedMs} audience={audience} />
        <Footer show={shown} state={state} width={width} audience={audience} />
      </Box>
    </ClockProvider>
  );
}
