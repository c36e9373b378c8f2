/**
 * The show on screen. Renders the walkthrough state and dispatches actions; the steps themselves
 * run in ShowSession (plain async code), never here.
 */
import { Box, Text, useApp, useInput, type Key } from 'ink';
import React, { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { StepOutcome } from '../core/runner.js';
import type { ShowSession } from '../core/session.js';
import { initialState, runningStepId, runOf, walkReducer, type WalkAction, type WalkState } from '../core/walkthrough.js';
import type { Runbook, Step } from '../runbook/model.js';
import { comparisonLines } from './components/ComparisonLines.js';
import { Footer } from './components/Footer.js';
import { Header } from './components/Header.js';
import { Overlay, type OverlayState } from './components/Overlay.js';
import { resultLines, type Line } from './components/ResultLines.js';
import { StatusLine } from './components/StatusLine.js';
import { StepHeading, talkLines } from './components/StepHeading.js';
import { ClockProvider } from './hooks/clock.js';
import { useTerminalSize } from './hooks/useTerminalSize.js';
import { actionFor, CONFIRM_KEYS, LIST_KEYS, OVERLAY_KEYS, SHOW_KEYS } from './keymap.js';
import { color } from './theme.js';

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;

export interface AppProps {
  runbook: Runbook;
  session: ShowSession;
  audience?: boolean;
  now?: () => number;
  /** Called once when the presenter quits, with the exit code. */
  onExit?: (code: number) => void;
}

function findStep(runbook: Runbook, id: string): Step {
  return id === runbook.restore.id ? runbook.restore : runbook.steps.find((s) => s.id === id)!;
}

export function App({ runbook, session, audience = false, now = Date.now, onExit }: AppProps) {
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
  // Keys can arrive faster than renders: handlers read the latest overlay from the ref.
  const overlayRef = useRef<OverlayState>(overlay);
  const setOverlay = useCallback((next: OverlayState) => {
    overlayRef.current = next;
    setOverlayState(next);
  }, []);
  const [scroll, setScroll] = useState(0);
  const [message, setMessage] = useState<string | undefined>();
  const [ctrlCArmed, setCtrlCArmed] = useState(false);
  // The latest state, ahead of renders: keys typed quickly act on where the show really is.
  const stateRef = useRef<WalkState>(state);
  const act = useCallback((action: WalkAction) => {
    stateRef.current = walkReducer(stateRef.current, action);
    dispatch(action);
  }, []);
  const quitting = useRef(false);

  const step = runbook.steps[state.current]!;
  const running = runningStepId(state);

  useEffect(() => setScroll(0), [state.current]);

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
      if (runningStepId(stateRef.current)) {
        setMessage(`'${runningStepId(stateRef.current)}' is still running: wait for it, or Ctrl-C to cancel it`);
        return;
      }
      if (target.queries.length === 0) {
        setMessage('nothing to run on this step');
        return;
      }
      setMessage(undefined);
      act({ type: 'started', stepId: target.id, at: now() });
      void session
        .run(target, (event) => {
          if (event.type === 'statement') act({ type: 'statement', stepId: target.id, index: event.index, count: event.count, label: event.label });
          else act({ type: 'progress', stepId: target.id, progress: event.progress });
        })
        .then((outcome: StepOutcome) => act({ type: 'finished', stepId: target.id, outcome, at: now() }));
    },
    [session, now, act],
  );

  const askToRun = useCallback(
    (target: Step) => {
      if (target.destructive && target.queries.length > 0) setOverlay({ kind: 'confirm', stepId: target.id });
      else start(target);
    },
    [start, setOverlay],
  );

  const openRestore = useCallback(() => {
    const busy = runningStepId(stateRef.current);
    if (busy && busy !== runbook.restore.id) setOverlay({ kind: 'cancel-first', stepId: busy });
    else setOverlay({ kind: 'restore' });
  }, [runbook.restore.id, setOverlay]);

  const onKey = useCallback(
    (input: string, key: Key) => {
      const busy = runningStepId(stateRef.current);
      // Ctrl-C works everywhere: cancel first, quit on the second press.
      if (key.ctrl && input === 'c') {
        if (busy && !stateRef.current.runs[busy]?.cancelRequested) {
          act({ type: 'cancel-requested', stepId: busy });
          session.cancel();
          setMessage(`cancelling '${busy}'… (Ctrl-C again to quit)`);
          setCtrlCArmed(true);
        } else if (ctrlCArmed || !busy) {
          if (ctrlCArmed) quit(130);
          else {
            setCtrlCArmed(true);
            setMessage('press Ctrl-C again to quit');
          }
        } else quit(130);
        return;
      }
      setCtrlCArmed(false);

      const overlay = overlayRef.current;
      switch (overlay.kind) {
        case 'help':
        case 'sql': {
          const action = actionFor(OVERLAY_KEYS, input, key);
          if (action === 'dismiss') setOverlay({ kind: 'none' });
          else if (action === 'scrollDown') setOverlay({ ...overlay, scroll: overlay.scroll + 1 });
          else if (action === 'scrollUp') setOverlay({ ...overlay, scroll: Math.max(0, overlay.scroll - 1) });
          return;
        }
        case 'jump': {
          const action = actionFor(LIST_KEYS, input, key);
          const last = runbook.steps.length - 1;
          if (action === 'dismiss') setOverlay({ kind: 'none' });
          else if (action === 'scrollDown') setOverlay({ kind: 'jump', cursor: Math.min(last, overlay.cursor + 1) });
          else if (action === 'scrollUp') setOverlay({ kind: 'jump', cursor: Math.max(0, overlay.cursor - 1) });
          else if (action === 'confirm') {
            act({ type: 'jump', index: overlay.cursor, at: now() });
            setOverlay({ kind: 'none' });
          }
          return;
        }
        case 'quit':
        case 'confirm':
        case 'cancel-first': {
          const action = actionFor(CONFIRM_KEYS, input, key);
          if (action === 'dismiss') setOverlay({ kind: 'none' });
          if (action !== 'confirm') return;
          if (overlay.kind === 'quit') quit(0);
          else if (overlay.kind === 'confirm') {
            setOverlay({ kind: 'none' });
            start(findStep(runbook, overlay.stepId));
          } else {
            act({ type: 'cancel-requested', stepId: overlay.stepId });
            session.cancel();
            setOverlay({ kind: 'restore' });
          }
          return;
        }
        case 'restore': {
          const restoreRun = runOf(stateRef.current, runbook.restore.id);
          const action = actionFor(CONFIRM_KEYS, input, key);
          if (restoreRun.status === 'running') return;
          if (action === 'dismiss' || key.escape) setOverlay({ kind: 'none' });
          else if (action === 'confirm') {
            if (busy) setMessage(`waiting for '${busy}' to stop before restoring…`);
            else start(runbook.restore);
          }
          return;
        }
        case 'none':
          break;
      }

      switch (actionFor(SHOW_KEYS, input, key)) {
        case 'next':
          act({ type: 'next', at: now() });
          break;
        case 'previous':
          act({ type: 'previous', at: now() });
          break;
        case 'run':
          askToRun(runbook.steps[stateRef.current.current]!);
          break;
        case 'jump':
          setOverlay({ kind: 'jump', cursor: stateRef.current.current });
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
          setScroll((s) => s + 1);
          break;
        case 'scrollUp':
          setScroll((s) => Math.max(0, s - 1));
          break;
        case 'quit':
          setOverlay({ kind: 'quit' });
          break;
        default:
          break;
      }
    },
    [ctrlCArmed, runbook, session, askToRun, openRestore, start, quit, now, setOverlay, act],
  );

  useInput(onKey);

  // Restore asked for while another step was being cancelled: start it once that step stopped.
  const restoreWanted = overlay.kind === 'restore';
  useEffect(() => {
    if (restoreWanted && !running && message?.startsWith('waiting for')) {
      setMessage(undefined);
      start(runbook.restore);
    }
  }, [restoreWanted, running, message, start, runbook.restore]);

  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    return (
      <Box height={Math.max(1, rows - 1)} flexDirection="column">
        <Text color={color('warn')} wrap="wrap">
          The terminal is {columns}×{rows}: make it at least {MIN_COLUMNS}×{MIN_ROWS} to show the runbook. (q quits, R restores)
        </Text>
      </Box>
    );
  }

  const width = columns - 2;
  const run = runOf(state, step.id);
  const outcomes = Object.fromEntries(Object.entries(state.runs).map(([id, r]) => [id, r.outcome]));
  const talk = audience ? [] : talkLines(step.talk, width);
  const body: Line[] =
    step.display === 'comparison' && step.comparison
      ? comparisonLines(step.comparison, outcomes, session.params, width)
      : resultLines(step.display, run.outcome, width);
  if (run.outcome?.status === 'failed') {
    const e = run.outcome.error;
    body.unshift(
      <Text key="err" color={color('bad')} wrap="truncate">
        ✗ {e?.message}
        {e?.code ? ` (${e.code})` : ''}
        {e?.where ? ` at ${e.where}` : ''}
      </Text>,
    );
    if (e?.hint) body.splice(1, 0, <Text key="hint" color={color('warn')} wrap="truncate">  {e.hint}</Text>);
  }
  for (const [i, notice] of (run.outcome?.notices ?? []).entries()) {
    body.push(<Text key={`n${i}`} color={color('muted')} wrap="truncate">note: {notice}</Text>);
  }

  // Fixed chrome: header, rule, heading, blank, status, footer (2). Talk and result share the rest.
  const chrome = 7;
  const available = Math.max(1, rows - 1 - chrome);
  const talkShown = talk.slice(0, Math.max(0, Math.min(talk.length, available - 3)));
  const bodyHeight = Math.max(1, available - talkShown.length - (talkShown.length > 0 ? 1 : 0));
  const maxScroll = Math.max(0, body.length - bodyHeight);
  const offset = Math.min(scroll, maxScroll);
  const shown = body.slice(offset, offset + bodyHeight);
  const more = body.length > bodyHeight;

  return (
    <ClockProvider fast={running !== undefined} now={now}>
      <Box flexDirection="column" height={rows - 1} width={columns} paddingX={1}>
        <Header runbook={runbook} state={state} engine={session.engine.kind} width={width} />
        <Text color={color('muted')}>{'─'.repeat(width)}</Text>
        <StepHeading step={step} state={state} width={width} />
        {talkShown}
        {talkShown.length > 0 ? <Text> </Text> : null}
        <Box flexDirection="column" height={bodyHeight} overflow="hidden">
          {overlay.kind === 'none' ? shown : null}
          {overlay.kind !== 'none' ? (
            <Overlay overlay={overlay} runbook={runbook} step={step} state={state} height={bodyHeight} width={width} engine={session.engine.kind} params={session.params} />
          ) : null}
        </Box>
        <Box flexGrow={1} />
        <StatusLine runbook={runbook} state={state} message={message} more={more ? `${offset + 1}-${offset + shown.length}/${body.length} ↑↓` : undefined} width={width} />
        <Footer runbook={runbook} state={state} width={width} />
      </Box>
    </ClockProvider>
  );
}

