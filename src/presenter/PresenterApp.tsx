/**
 * The presenter console: the show's talking points, timers and next step on the presenter's own
 * screen, and the keys to drive it. It draws with the show's components from the snapshots the
 * show sends; every key becomes a command the show handles exactly as its own.
 */
import { Box, Text, useApp, useInput, type Key } from 'ink';
import React, { useCallback, useEffect, useRef, useState } from 'react';
import { runningStepId, runOf } from '../core/walkthrough.js';
import { Header } from '../ui/components/Header.js';
import { StatusLine } from '../ui/components/StatusLine.js';
import { StepHeading, talkLines } from '../ui/components/StepHeading.js';
import { ClockProvider } from '../ui/hooks/clock.js';
import { SPIN, spun } from '../ui/components/Spinner.js';
import { useTerminalSize } from '../ui/hooks/useTerminalSize.js';
import { actionFor, eachKey, firstKey, keyLabel, LIST_KEYS, PRESENTER_KEYS, type Action } from '../ui/keymap.js';
import { clip, oneLine, windowOf } from '../ui/text.js';
import { color } from '../ui/theme.js';
import type { ConsoleView, ShowConnection } from './client.js';
import { REMOTE_ACTIONS, type RemoteAction } from './protocol.js';

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;
/** Header (2), console line, step heading, next step (3), the show's question, status, keys. */
const CHROME_ROWS = 10;

const REMOTE: ReadonlySet<Action> = new Set<Action>(REMOTE_ACTIONS.filter((a) => a !== 'jump'));

/** Key names short enough for one row of hints. */
function shortKey(name: string): string {
  return name === 'escape' ? 'esc' : name === 'ctrl+c' ? '^C' : name;
}

/** Hints the console drops first when its row is narrow (last in this list first). */
const HINT_PRIORITY: readonly Action[] = ['next', 'previous', 'run', 'restore', 'quit', 'confirm', 'dismiss', 'blank', 'talkClock', 'jump', 'cancel'];

export function presenterHints(width: number): string {
  const label = (action: Action) => {
    const binding = PRESENTER_KEYS.find((b) => b.action === action)!;
    const word: Partial<Record<Action, string>> = { confirm: 'yes', dismiss: 'no', talkClock: 'talk clock' };
    return `${shortKey(binding.keys[0]!)} ${word[action] ?? action}`;
  };
  let kept = PRESENTER_KEYS.map((b) => b.action).filter((a) => HINT_PRIORITY.includes(a));
  const text = () => kept.map(label).join('  ');
  for (let i = HINT_PRIORITY.length - 1; i >= 0 && text().length > width; i--) kept = kept.filter((a) => a !== HINT_PRIORITY[i]);
  return clip(text(), width);
}

function Waiting({ path, view, width, height }: { path: string; view: ConsoleView; width: number; height: number }) {
  return (
    <Box flexDirection="column" height={height} width={width + 2} paddingX={1}>
      <Text bold inverse wrap="truncate">
        {clip(' PRESENTER CONSOLE ', width)}
      </Text>
      <Text wrap="truncate">{spun(clip(`${SPIN} waiting for the show: start \`demo\` in another terminal`, width))}</Text>
      <Text color={color('muted')} wrap="truncate">
        {clip(`socket: ${path}`, width)}
      </Text>
      {view.notice ? (
        <Text color={color('warn')} wrap="truncate">
          {clip(oneLine(view.notice.text), width)}
        </Text>
      ) : null}
      <Text color={color('muted')} wrap="truncate">
        q quits
      </Text>
    </Box>
  );
}

/** The more recent of the console's own notice and the show's message. */
function latest(a?: { text: string; at: number }, b?: { text: string; at: number }) {
  if (!a) return b;
  if (!b) return a;
  return a.at >= b.at ? a : b;
}

export function PresenterApp({ connection, now = Date.now }: { connection: ShowConnection; now?: () => number }) {
  const { exit } = useApp();
  const { columns, rows } = useTerminalSize();
  const [view, setView] = useState<ConsoleView>(connection.current);
  const [scroll, setScroll] = useState({ step: -1, offset: 0 });
  const [jump, setJump] = useState<number | undefined>();
  const jumpRef = useRef<number | undefined>(undefined);
  const viewRef = useRef(view);

  useEffect(() => {
    const off = connection.subscribe((next) => {
      viewRef.current = next;
      setView(next);
    });
    connection.start();
    return () => {
      off();
    };
  }, [connection]);

  const setJumpCursor = useCallback((cursor: number | undefined) => {
    jumpRef.current = cursor;
    setJump(cursor);
  }, []);

  const onKey = useCallback(
    (input: string, key: Key) => {
      const current = viewRef.current;
      const steps = current.hello?.show.steps.length ?? 0;
      const here = current.snapshot?.state.current ?? 0;
      if (jumpRef.current !== undefined) {
        const action = actionFor(LIST_KEYS, input, key);
        if (action === 'dismiss') setJumpCursor(undefined);
        else if (action === 'scrollDown') setJumpCursor(Math.min(steps - 1, jumpRef.current + 1));
        else if (action === 'scrollUp') setJumpCursor(Math.max(0, jumpRef.current - 1));
        else if (action === 'confirm') {
          connection.send({ action: 'jump', index: jumpRef.current });
          setJumpCursor(undefined);
        }
        return;
      }
      const action = actionFor(PRESENTER_KEYS, input, key);
      if (action === 'quit') {
        connection.close();
        exit();
      } else if (action === 'jump') {
        if (steps > 0) setJumpCursor(here);
      } else if (action === 'scrollDown') setScroll((s) => ({ step: here, offset: (s.step === here ? s.offset : 0) + 1 }));
      else if (action === 'scrollUp') setScroll((s) => ({ step: here, offset: Math.max(0, (s.step === here ? s.offset : 0) - 1) }));
      else if (action && REMOTE.has(action)) connection.send({ action: action as RemoteAction });
    },
    [connection, exit, setJumpCursor],
  );
  useInput(useCallback((input: string, key: Key) => eachKey(input, key, onKey), [onKey]));

  const frameHeight = Math.max(0, rows - 1);
  const width = columns - 2;
  const { hello, snapshot } = view;
  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    return (
      <Box height={frameHeight} width={columns}>
        <Text color={color('warn')} wrap="wrap">
          The terminal is {columns}×{rows}: make it at least {MIN_COLUMNS}×{MIN_ROWS} for the presenter console. (q quits)
        </Text>
      </Box>
    );
  }
  if (view.status !== 'connected' || !hello || !snapshot) {
    return (
      <ClockProvider fast={false} now={now}>
        <Waiting path={connection.path} view={view} width={width} height={frameHeight} />
      </ClockProvider>
    );
  }

  // The words as the show renders them now (params, measured times), else as it said at hello.
  const show = snapshot.show ?? hello.show;
  const { engine } = hello;
  const state = snapshot.state;
  const step = show.steps[state.current]!;
  const next = show.steps[state.current + 1];
  const available = Math.max(0, frameHeight - CHROME_ROWS);

  let region: React.ReactNode;
  if (jump !== undefined) {
    const lines = show.steps.map((s, i) => {
      const status = runOf(state, s.id).status;
      const mark = status === 'done' ? '✓' : status === 'failed' ? '✗' : status === 'running' ? '…' : ' ';
      return (
        <Text key={s.id} inverse={i === jump} wrap="truncate">
          {clip(`${mark} ${String(i + 1).padStart(2)}. ${oneLine(s.title)}${i === state.current ? ' (here)' : ''}`, width)}
        </Text>
      );
    });
    const { shown } = windowOf(lines, jump - Math.floor((available - 1) / 2), Math.max(0, available - 1));
    region = (
      <>
        <Text bold color={color('accent')} wrap="truncate">
          {clip(`Jump to a step — ${LIST_KEYS.map((b) => `${keyLabel(b)} ${b.description}`).join(' · ')}`, width)}
        </Text>
        {shown}
      </>
    );
  } else {
    const talk = talkLines(step.talk, width);
    const { shown, offset } = windowOf(talk, scroll.step === state.current ? scroll.offset : 0, available);
    region = talk.length > 0 ? shown : <Text color={color('muted')}>No talking points on this step.</Text>;
    if (talk.length > available && available > 0) {
      region = (
        <>
          {shown.slice(0, available - 1)}
          <Text color={color('muted')} wrap="truncate">
            {`    ↑↓ ${offset + 1}-${offset + available - 1} of ${talk.length} rows`}
          </Text>
        </>
      );
    }
  }

  const nextTalk = next ? talkLines(next.talk, width).slice(0, 2) : [];
  const question = snapshot.dialog;
  return (
    <ClockProvider fast={runningStepId(state) !== undefined} now={now}>
      <Box flexDirection="column" height={frameHeight} width={columns} paddingX={1}>
        <Header show={show} state={state} engine={engine} width={width} />
        <Text wrap="truncate">
          <Text bold inverse>
            {' PRESENTER CONSOLE '}
          </Text>
          {snapshot.blank ? (
            <Text color={color('warn')} bold>
              {clip(` the projected screen is BLANK (${firstKey(PRESENTER_KEYS, 'blank')} shows it)`, Math.max(0, width - 19))}
            </Text>
          ) : (
            <Text color={color('muted')}>
              {clip(hello.audience ? ' the projected screen hides the talking points, timers and keys' : ' the talking points are on the projected screen too', Math.max(0, width - 19))}
            </Text>
          )}
        </Text>
        <StepHeading step={step} index={state.current} state={state} width={width} />
        <Box flexDirection="column" height={available}>
          {region}
        </Box>
        <Box flexDirection="column" height={3} width={width}>
          <Text wrap="truncate">
            <Text color={color('muted')}>Next: </Text>
            {next ? <Text bold>{clip(`${state.current + 2}. ${oneLine(next.title)}`, width - 6)}</Text> : <Text color={color('muted')}>end of the show</Text>}
          </Text>
          <Box flexDirection="column" height={2}>
            {nextTalk.map((line, i) => (
              <Text key={i} color={color('muted')} wrap="truncate">
                {line}
              </Text>
            ))}
          </Box>
        </Box>
        <Text wrap="truncate" color={question ? color('warn') : undefined} bold={question !== undefined}>
          {question
            ? clip(
                question.question
                  ? `The show asks (${shortKey(firstKey(PRESENTER_KEYS, 'confirm'))} yes · ${shortKey(firstKey(PRESENTER_KEYS, 'dismiss'))} no/close): ${oneLine(question.title)}`
                  : `The show shows (${shortKey(firstKey(PRESENTER_KEYS, 'dismiss'))} closes): ${oneLine(question.title)}`,
                width,
              )
            : ' '}
        </Text>
        <StatusLine
          show={show}
          state={state}
          message={latest(view.notice, snapshot.message)}
          width={width}
          expectedMs={(id) => snapshot.expectedMs[id]}
        />
        <Text color={color('muted')} wrap="truncate">
          {presenterHints(width)}
        </Text>
      </Box>
    </ClockProvider>
  );
}
