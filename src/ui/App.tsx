/**
 * The show on screen. Renders the walkthrough state and dispatches actions; the steps themselves
 * run in ShowSession (plain async code), never here. Every row of the frame is accounted for, so
 * the frame is always exactly one row shorter than the terminal, whatever its size or content.
 */
import { Box, Text, useApp, useInput, type Key } from 'ink';
import React, { useCallback, useEffect, useReducer, useRef, useState, useSyncExternalStore } from 'react';
import type { StepOutcome } from '../core/runner.js';
import type { ShowSession } from '../core/session.js';
import { SOURCE_LABELS } from '../core/sources.js';
import { initialState, runningStepId, runOf, walkReducer, type StepRun, type WalkAction, type WalkState } from '../core/walkthrough.js';
import { ENGINE_BADGES, type ConnectionState, type Engine } from '../engine/types.js';
import { formatDateTime, formatDuration, formatTimeOfDay } from '../format/numbers.js';
import type { RemoteCommand, ShowLink } from '../presenter/protocol.js';
import { liteState } from '../presenter/protocol.js';
import type { Runbook, Step } from '../runbook/model.js';
import { comparisonLines } from './components/ComparisonLines.js';
import { Footer } from './components/Footer.js';
import { Header } from './components/Header.js';
import { Overlay, overlaySummary, type OverlayState } from './components/Overlay.js';
import { architectureLines, layerRows, resultLines, type Line } from './components/ResultLines.js';
import { StatusLine } from './components/StatusLine.js';
import { StepHeading, talkLines } from './components/StepHeading.js';
import { ClockProvider, spinnerFrame, useNow } from './hooks/clock.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import { actionFor, CONFIRM_KEYS, eachKey, GLOBAL_KEYS, LIST_KEYS, OVERLAY_KEYS, SHOW_KEYS, type Action } from './keymap.js';
import { clip, oneLine } from './text.js';
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
}

interface Message {
  text: string;
  at: number;
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

/** Where the figures below came from, in one row: source, time taken, when. */
function provenance(run: StepRun, width: number): Line | undefined {
  const outcome = run.outcome;
  const first = outcome?.queries[0]?.result;
  if (!outcome || !first) return undefined;
  const sources = [...new Set(outcome.queries.map((q) => SOURCE_LABELS[q.result.source]))].join('/');
  const at = run.finishedAt ? ` · finished ${formatTimeOfDay(run.finishedAt, true)}` : '';
  const qid = outcome.queries.length === 1 && first.queryId ? ` · query ${first.queryId}` : '';
  return (
    <Text key="prov" color={color('muted')} wrap="truncate">
      {clip(`${sources} · ${formatDuration(outcome.elapsedMs)}${at}${qid}`, width)}
    </Text>
  );
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
      {clip(`${spinnerFrame(now)} running${statement}${state}${cancelling} · ${formatDuration(now - (run.startedAt ?? now))}`, width)}
    </Text>
  );
}

/** The body of a step: its result (or the recorded fallback, clearly marked), errors and notes. */
function bodyLines(runbook: Runbook, session: ShowSession, step: Step, state: WalkState, width: number): Line[] {
  const run = runOf(state, step.id);
  if (step.display === 'comparison' && step.comparison) {
    const outcomes = Object.fromEntries(Object.entries(state.runs).map(([id, r]) => [id, r.outcome]));
    return comparisonLines(step.comparison, outcomes, session.params, width, session.engine.kind);
  }
  if (run.fallback) {
    const recorded = run.fallback.recordedAt ? formatDateTime(run.fallback.recordedAt) : 'earlier';
    return [
      <Text key="fb" wrap="truncate">
        <Text color={color('warn')} bold inverse>
          {clip(` RECORDED ${recorded} · NOT LIVE `, width)}
        </Text>
        <Text color={color('muted')}>{clip(` this run ${run.status}; below is the last recorded result`, Math.max(0, width - 30))}</Text>
      </Text>,
      ...(run.outcome ? failureLines(run.outcome, width) : []),
      ...resultLines(step.display, run.fallback, width),
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
    lines.push(...architectureLines(counts.outcome, width, counts.origin));
  } else {
    const prov = provenance(run, width);
    if (prov) lines.push(prov);
    lines.push(...resultLines(step.display, run.outcome, width));
  }
  if (run.outcome) lines.unshift(...failureLines(run.outcome, width));
  for (const [i, notice] of (run.outcome?.notices ?? []).entries()) {
    lines.push(
      <Text key={`n${i}`} color={color('muted')} wrap="truncate">
        {clip(`note: ${oneLine(notice)}`, width)}
      </Text>,
    );
  }
  if (run.status === 'idle' && step.queries.length > 0 && step.display !== 'architecture') {
    lines.push(
      <Text key="idle" color={color('muted')} wrap="truncate">
        {clip(`enter runs this step on the ${ENGINE_BADGES[session.engine.kind]} engine${step.destructive ? ' (asks first)' : ''}`, width)}
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

export function App({ runbook, session, audience = false, now = Date.now, onExit, remote, initialMessage }: AppProps) {
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
  const setOverlay = useCallback((next: OverlayState) => {
    overlayRef.current = next;
    setOverlayState(next);
  }, []);
  const stateRef = useRef<WalkState>(state);
  const act = useCallback((action: WalkAction) => {
    stateRef.current = walkReducer(stateRef.current, action);
    dispatch(action);
  }, []);
  // The body's scroll belongs to the step it was scrolled on: arriving on a step starts at the top.
  const [scroll, setScroll] = useState({ step: 0, offset: 0 });
  const [message, setMessageState] = useState<Message | undefined>(() => (initialMessage ? { text: initialMessage, at: now() } : undefined));
  const say = useCallback((text: string | undefined) => setMessageState(text ? { text, at: now() } : undefined), [now]);
  const connection = useConnectionState(session.engine);
  // A browser sign-in started before any step: its address goes on the status line.
  const loginUrl = connection?.status === 'connecting' ? connection.url : undefined;
  useEffect(() => {
    if (loginUrl) say(`Log in in your browser: ${loginUrl}`);
  }, [loginUrl, say]);
  const ctrlCArmed = useRef(false);
  const restorePending = useRef(false);
  const quitting = useRef(false);

  const step = runbook.steps[state.current]!;
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

  const start = useCallback(
    (target: Step) => {
      const busy = runningStepId(stateRef.current);
      if (busy) {
        say(`'${busy}' is still running: wait for it, or Ctrl-C to cancel it`);
        return;
      }
      if (target.queries.length === 0) {
        say('nothing to run on this step');
        return;
      }
      say(undefined);
      act({ type: 'started', stepId: target.id, at: now() });
      void session
        .run(target, (event) => {
          if (event.type === 'statement') act({ type: 'statement', stepId: target.id, index: event.index, count: event.count, label: event.label });
          else act({ type: 'progress', stepId: target.id, progress: event.progress });
        })
        .catch((error: unknown): StepOutcome => ({ status: 'failed', queries: [], elapsedMs: 0, notices: [], error: { message: error instanceof Error ? error.message : String(error) } }))
        .then((outcome: StepOutcome) => {
          act({ type: 'finished', stepId: target.id, outcome, at: now() });
          // A step that finished in the background says so wherever the presenter is.
          const here = stateRef.current.stepIds[stateRef.current.current];
          if (target.id !== here && !(target.id === runbook.restore.id && overlayRef.current.kind === 'restore')) {
            const mark = outcome.status === 'done' ? '✓' : outcome.status === 'failed' ? '✗' : '–';
            const run = runOf(stateRef.current, target.id);
            // Wall time: a cancelled step's own figure only counts the statements that finished.
            const took = formatDuration((run.finishedAt ?? now()) - (run.startedAt ?? now()));
            // Short facts first: a narrow status line cuts the title, not the news.
            say(`${mark} '${target.id}' ${outcome.status} after ${took}: ${oneLine(target.title)}`);
          }
        });
    },
    [session, now, act, say, runbook.restore.id],
  );

  const askToRun = useCallback(
    (target: Step) => {
      if (target.destructive && target.queries.length > 0 && !runningStepId(stateRef.current)) setOverlay({ kind: 'confirm', stepId: target.id, scroll: 0 });
      else start(target);
    },
    [start, setOverlay],
  );

  const openRestore = useCallback(() => {
    const busy = runningStepId(stateRef.current);
    const kind = overlayRef.current.kind;
    if (kind === 'restore' || kind === 'cancel-first') return;
    if (busy && busy !== runbook.restore.id) setOverlay({ kind: 'cancel-first', stepId: busy, scroll: 0 });
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
      say(`f shows the recorded result of a step whose live run failed; '${current.id}' has not failed`);
      return;
    }
    let outcome: StepOutcome | undefined;
    try {
      outcome = session.fallback(current.id);
    } catch (error) {
      say(`the recording of '${current.id}' cannot be read: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    if (!outcome) {
      say(`no recording of this step yet ('${current.id}')`);
      return;
    }
    act({ type: 'fallback', stepId: current.id, outcome });
    say(undefined);
  }, [runbook, session, act, say]);

  /** One action in the context of whatever is on screen: keys and the presenter console both land here. */
  const perform = useCallback(
    (action: Action | undefined) => {
      const overlay = overlayRef.current;
      const s = stateRef.current;
      switch (overlay.kind) {
        case 'help':
        case 'sql':
          if (action === 'dismiss') setOverlay({ kind: 'none' });
          else if (action === 'scrollDown') setOverlay({ ...overlay, scroll: overlay.scroll + 1 });
          else if (action === 'scrollUp') setOverlay({ ...overlay, scroll: Math.max(0, overlay.scroll - 1) });
          return;
        case 'jump': {
          const last = runbook.steps.length - 1;
          if (action === 'dismiss') setOverlay({ kind: 'none' });
          else if (action === 'scrollDown') setOverlay({ kind: 'jump', cursor: Math.min(last, overlay.cursor + 1) });
          else if (action === 'scrollUp') setOverlay({ kind: 'jump', cursor: Math.max(0, overlay.cursor - 1) });
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
          if (action === 'scrollDown') return setOverlay({ ...overlay, scroll: overlay.scroll + 1 });
          if (action === 'scrollUp') return setOverlay({ ...overlay, scroll: Math.max(0, overlay.scroll - 1) });
          if (action === 'dismiss') {
            if (overlay.kind === 'restore') restorePending.current = false;
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
            cancelRunning();
            setOverlay({ kind: 'restore', scroll: 0 });
          } else {
            const restoreRun = runOf(s, runbook.restore.id);
            if (restoreRun.status === 'running' || restoreRun.status === 'done') return;
            const busy = runningStepId(s);
            if (busy) {
              // Confirmed while the cancelled step winds down: restore starts the moment it stops.
              restorePending.current = true;
              say(`waiting for '${busy}' to stop, then restoring…`);
            } else start(runbook.restore);
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
          setScroll((prev) => ({ step: s.current, offset: (prev.step === s.current ? prev.offset : 0) + 1 }));
          break;
        case 'scrollUp':
          setScroll((prev) => ({ step: s.current, offset: Math.max(0, (prev.step === s.current ? prev.offset : 0) - 1) }));
          break;
        case 'quit':
          setOverlay({ kind: 'quit', scroll: 0 });
          break;
        default:
          break;
      }
    },
    [runbook, now, setOverlay, navigate, cancelRunning, quit, start, say, askToRun, fallback, openRestore],
  );

  const onKey = useCallback(
    (input: string, key: Key) => {
      const global = actionFor(GLOBAL_KEYS, input, key);
      // Ctrl-C works everywhere: cancel first, quit on the second press.
      if (global === 'cancel') {
        if (cancelRunning()) {
          say(`cancelling '${runningStepId(stateRef.current)}'… (Ctrl-C again to quit)`);
          ctrlCArmed.current = true;
        } else if (ctrlCArmed.current) quit(130);
        else {
          ctrlCArmed.current = true;
          say('press Ctrl-C again to quit');
        }
        return;
      }
      ctrlCArmed.current = false;
      if (global === 'restore') return openRestore();
      const kind = overlayRef.current.kind;
      const map = kind === 'none' ? SHOW_KEYS : kind === 'help' || kind === 'sql' ? OVERLAY_KEYS : kind === 'jump' ? LIST_KEYS : CONFIRM_KEYS;
      perform(actionFor(map, input, key));
    },
    [cancelRunning, quit, say, openRestore, perform],
  );

  useInput(useCallback((input: string, key: Key) => eachKey(input, key, onKey), [onKey]));

  // The presenter console: its commands go through the same `perform` as the keys.
  const onRemote = useCallback(
    (command: RemoteCommand) => {
      const kind = overlayRef.current.kind;
      const modal = kind === 'quit' || kind === 'confirm' || kind === 'cancel-first' || kind === 'restore';
      switch (command.action) {
        case 'cancel':
          if (!cancelRunning()) remote?.reply('nothing is running');
          return;
        case 'restore':
          return openRestore();
        case 'confirm':
        case 'dismiss':
          if (kind === 'none') remote?.reply('the show is not asking anything');
          else perform(command.action);
          return;
        default:
          break;
      }
      if (modal) {
        remote?.reply('the show is asking a question: answer it first (y or esc)');
        return;
      }
      // Moving from the console closes what only shows something (help, SQL, the jump list).
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

  useEffect(() => {
    if (!remote) return;
    const expected = running ? expectedMs(running) : undefined;
    remote.publish({
      state: liteState(state),
      expectedMs: running && expected !== undefined ? { [running]: expected } : {},
      message,
      dialog: overlaySummary(overlay, runbook, state),
    });
  }, [remote, state, overlay, message, running, expectedMs, runbook]);

  // Restore confirmed while another step was being cancelled: start it once that step stopped.
  useEffect(() => {
    if (restorePending.current && !running) {
      restorePending.current = false;
      if (overlayRef.current.kind === 'restore') start(runbook.restore);
    }
  }, [running, start, runbook.restore]);

  const engine = { kind: session.engine.kind, note: session.engine.note, connection };
  const frameHeight = Math.max(0, rows - 1);

  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    const dialog = overlaySummary(overlay, runbook, state);
    const lines = [
      `The terminal is ${columns}×${rows}: make it at least ${MIN_COLUMNS}×${MIN_ROWS} to show the runbook.`,
      running ? `Still running: ${running}.` : '',
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

  const width = columns - 2;
  const available = Math.max(0, frameHeight - CHROME_ROWS);
  let region: React.ReactNode;
  let more: string | undefined;
  if (overlay.kind !== 'none') {
    region = (
      <Overlay overlay={overlay} runbook={runbook} step={step} state={state} height={available} width={width} engine={session.engine.kind} params={session.params} expectedMs={expectedMs} />
    );
  } else {
    const body = bodyLines(runbook, session, step, state, width);
    let talk = audience ? [] : talkLines(step.talk, width);
    const gap = talk.length > 0 && body.length > 0 ? 1 : 0;
    // Talk and result share the space; when both do not fit, each gets at least half.
    let talkRows = talk.length;
    if (talk.length + gap + body.length > available) {
      talkRows = Math.min(talk.length, Math.max(Math.ceil((available - gap) / 2), available - gap - body.length));
    }
    talkRows = Math.max(0, Math.min(talkRows, available));
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
    const offset = Math.min(scroll.step === state.current ? scroll.offset : 0, maxOffset);
    const shown = body.slice(offset, offset + bodyRows);
    if (body.length > bodyRows && bodyRows > 0) more = `${offset + 1}-${offset + shown.length}/${body.length} ↑↓`;
    region = (
      <>
        {talk}
        {talk.length > 0 && shown.length > 0 ? <Text> </Text> : null}
        {shown}
      </>
    );
  }

  return (
    <ClockProvider fast={running !== undefined} now={now}>
      <Box flexDirection="column" height={frameHeight} width={columns} paddingX={1}>
        <Header show={runbook} state={state} engine={engine} width={width} />
        <StepHeading step={step} index={state.current} state={state} width={width} />
        <Box flexDirection="column" height={available}>
          {region}
        </Box>
        <StatusLine show={runbook} state={state} message={message} more={more} width={width} expectedMs={expectedMs} />
        <Footer show={runbook} state={state} width={width} />
      </Box>
    </ClockProvider>
  );
}
