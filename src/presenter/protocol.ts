/**
 * The presenter console's protocol: newline-delimited JSON over a Unix socket that only the owner
 * can reach. The show sends what the console draws; the console sends the actions of the one key
 * map, which the show handles exactly as its own keys.
 */
import path from 'node:path';
import type { StepOutcome } from '../core/runner.js';
import type { StepRun, WalkState } from '../core/walkthrough.js';
import type { EngineInfo, ShowInfo, StepInfo } from '../ui/show.js';

export const PROTOCOL_VERSION = 2;

/** What the console may ask of the show. */
export const REMOTE_ACTIONS = ['next', 'previous', 'pageDown', 'pageUp', 'jump', 'run', 'restore', 'cancel', 'confirm', 'dismiss', 'allRows', 'blank', 'talkClock'] as const;
export type RemoteAction = (typeof REMOTE_ACTIONS)[number];

export interface RemoteCommand {
  action: RemoteAction;
  /** For jump: the step's index in the show. */
  index?: number;
}

/** The show's state as the console needs it: results stay on the show (they can be large). */
export interface Snapshot {
  state: WalkState;
  /** Expected time of the running step, from its last recorded run. */
  expectedMs: Record<string, number>;
  message?: { text: string; at: number };
  /** The dialog open on the show, if any: a question (y answers it) or something it only shows. */
  dialog?: { title: string; hint: string; question: boolean };
  /** The show's words as rendered for this run (params, measured times): they change as it goes. */
  show?: ShowInfo;
  /** The projected screen is blanked. */
  blank?: boolean;
}

export type ServerMessage =
  | { type: 'hello'; version: number; show: ShowInfo; engine: EngineInfo; audience: boolean; pid: number }
  | ({ type: 'state' } & Snapshot)
  | { type: 'error'; message: string }
  | { type: 'bye' };

export type ClientMessage = { type: 'command' } & RemoteCommand;

/** The show's side of the link, as the App sees it. */
export interface ShowLink {
  publish(snapshot: Snapshot): void;
  onCommand(handler: (command: RemoteCommand) => void): () => void;
  /** A one-line answer to the console that sent a command the show could not follow. */
  reply(message: string): void;
}

/** The socket lives in an owner-only folder under the state dir: `.demo/presenter/show.sock`. */
export function socketDir(stateDir: string): string {
  return path.join(stateDir, 'presenter');
}

export function socketPath(stateDir: string): string {
  return path.join(socketDir(stateDir), 'show.sock');
}

export function stepInfoOf(step: StepInfo): StepInfo {
  const { id, title, talk, targetMs, display, destructive, long, changes } = step;
  return { id, title, talk, targetMs, display, destructive, long, changes };
}

export function showInfoOf(show: ShowInfo): ShowInfo {
  return { title: show.title, durationMs: show.durationMs, steps: show.steps.map(stepInfoOf), restore: stepInfoOf(show.restore) };
}

/** An outcome without its rows: status, time and error are what the console shows. */
function liteOutcome(outcome: StepOutcome | undefined): StepOutcome | undefined {
  if (!outcome) return undefined;
  return { status: outcome.status, queries: [], elapsedMs: outcome.elapsedMs, notices: outcome.notices, error: outcome.error, recordedAt: outcome.recordedAt };
}

export function liteState(state: WalkState): WalkState {
  const runs: Record<string, StepRun> = {};
  for (const [id, run] of Object.entries(state.runs)) runs[id] = { ...run, outcome: liteOutcome(run.outcome), fallback: liteOutcome(run.fallback) };
  return { ...state, runs };
}

/** Splits a byte stream into JSON messages, one per line; a line that is not JSON is skipped. */
export function lineReader(onMessage: (message: unknown) => void): (chunk: Buffer | string) => void {
  let buffer = '';
  return (chunk) => {
    buffer += chunk.toString();
    // A console that never sends a newline must not grow the buffer without bound.
    if (buffer.length > 1_000_000) buffer = '';
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const text = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      if (!text.trim()) continue;
      try {
        onMessage(JSON.parse(text));
      } catch {
        // not JSON: ignored, the protocol is ours and a garbled line is not worth a crash
      }
    }
  };
}

export function isRemoteCommand(value: unknown): value is ClientMessage {
  const v = value as Partial<ClientMessage> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    v.type === 'command' &&
    (REMOTE_ACTIONS as readonly string[]).includes(v.action as string) &&
    (v.index === undefined || (Number.isInteger(v.index) && v.index >= 0))
  );
}

export function isServerMessage(value: unknown): value is ServerMessage {
  const v = value as { type?: unknown } | null;
  if (typeof v !== 'object' || v === null) return false;
  switch (v.type) {
    case 'hello':
      return typeof (v as { show?: unknown }).show === 'object' && typeof (v as { engine?: unknown }).engine === 'object';
    case 'state':
      return typeof (v as { state?: unknown }).state === 'object';
    case 'error':
      return typeof (v as { message?: unknown }).message === 'string';
    case 'bye':
      return true;
    default:
      return false;
  }
}
