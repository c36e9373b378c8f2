/**
 * The one key map: input handling, the help overlay, the footer hints and the presenter console's
 * keys are all generated from these tables, so what the help says is what the keys do.
 */
import type { Key } from 'ink';

export type Action =
  | 'next'
  | 'previous'
  | 'run'
  | 'jump'
  | 'help'
  | 'quit'
  | 'cancel'
  | 'restore'
  | 'sql'
  | 'fallback'
  | 'scrollUp'
  | 'scrollDown'
  | 'pageUp'
  | 'pageDown'
  | 'top'
  | 'bottom'
  | 'allRows'
  | 'blank'
  | 'talkClock'
  | 'confirm'
  | 'dismiss';

/** How long after a first Ctrl-C a second one quits; later, it counts as a first again. */
export const CTRL_C_WINDOW_MS = 3000;

/** A key as written in the table: a character, or a named key such as "enter", "→", "ctrl+c". */
export interface Binding {
  action: Action;
  keys: readonly string[];
  description: string;
}

/** Keys that work on every screen, over any dialog: the presenter must never be stuck. */
export const GLOBAL_KEYS: readonly Binding[] = [
  { action: 'cancel', keys: ['ctrl+c'], description: `cancel the running step; press again within ${CTRL_C_WINDOW_MS / 1000} s to quit` },
  { action: 'restore', keys: ['R'], description: 'restore the original data (asks first; offers to cancel a running step)' },
];

/** On a step, with no dialog open. */
export const SHOW_KEYS: readonly Binding[] = [
  { action: 'next', keys: ['→', 'space', 'n'], description: 'next step (a running step goes on in the background)' },
  { action: 'previous', keys: ['←', 'p'], description: 'previous step' },
  { action: 'run', keys: ['enter'], description: 'run this step (a destructive step asks first, every time)' },
  { action: 'fallback', keys: ['f'], description: "after a failure or a cancel: show this step's last recorded result" },
  { action: 'jump', keys: ['g'], description: 'jump to a step' },
  { action: 'sql', keys: ['s'], description: "show this step's SQL" },
  { action: 'scrollDown', keys: ['↓', 'j'], description: 'scroll down' },
  { action: 'scrollUp', keys: ['↑', 'k'], description: 'scroll up' },
  { action: 'pageDown', keys: ['pagedown'], description: 'page down; at the end of the step, the next step (a clicker\'s "next")' },
  { action: 'pageUp', keys: ['pageup'], description: 'page up; at the top of the step, the previous step (a clicker\'s "back")' },
  { action: 'top', keys: ['home'], description: 'top of the step' },
  { action: 'bottom', keys: ['end'], description: 'bottom of the step' },
  { action: 'allRows', keys: ['a'], description: 'every row of the result, or the first rows again' },
  { action: 'blank', keys: ['b'], description: 'blank the screen, or show it again (dialogs still show)' },
  { action: 'talkClock', keys: ['t'], description: 'start the talk clock now: the talk and every step timer from zero' },
  { action: 'help', keys: ['?'], description: 'this help' },
  { action: 'quit', keys: ['q'], description: 'quit (asks first)' },
];

/** In a list (the jump list). */
export const LIST_KEYS: readonly Binding[] = [
  { action: 'scrollDown', keys: ['↓', 'j'], description: 'down' },
  { action: 'scrollUp', keys: ['↑', 'k'], description: 'up' },
  { action: 'pageDown', keys: ['pagedown'], description: 'a page down' },
  { action: 'pageUp', keys: ['pageup'], description: 'a page up' },
  { action: 'top', keys: ['home'], description: 'first step' },
  { action: 'bottom', keys: ['end'], description: 'last step' },
  { action: 'confirm', keys: ['enter'], description: 'go there' },
  { action: 'dismiss', keys: ['escape', 'g', 'q'], description: 'close' },
];

/** In a yes/no dialog. */
export const CONFIRM_KEYS: readonly Binding[] = [
  { action: 'confirm', keys: ['y'], description: 'yes' },
  { action: 'dismiss', keys: ['n', 'escape'], description: 'no / close' },
  { action: 'sql', keys: ['s'], description: 'show or hide the SQL it will run' },
  { action: 'scrollDown', keys: ['↓', 'j'], description: 'scroll down' },
  { action: 'scrollUp', keys: ['↑', 'k'], description: 'scroll up' },
  { action: 'pageDown', keys: ['pagedown'], description: 'page down' },
  { action: 'pageUp', keys: ['pageup'], description: 'page up' },
  { action: 'top', keys: ['home'], description: 'top' },
  { action: 'bottom', keys: ['end'], description: 'bottom' },
];

/** In an overlay that only shows something (help, SQL). */
export const OVERLAY_KEYS: readonly Binding[] = [
  { action: 'scrollDown', keys: ['↓', 'j'], description: 'scroll down' },
  { action: 'scrollUp', keys: ['↑', 'k'], description: 'scroll up' },
  { action: 'pageDown', keys: ['pagedown'], description: 'page down' },
  { action: 'pageUp', keys: ['pageup'], description: 'page up' },
  { action: 'top', keys: ['home'], description: 'top' },
  { action: 'bottom', keys: ['end'], description: 'bottom' },
  { action: 'dismiss', keys: ['escape', 'q', '?', 's'], description: 'close' },
];

/**
 * The presenter console (`demo presenter`). Its actions are sent to the show and handled there
 * exactly as the show's own keys; quit only leaves the console.
 */
export const PRESENTER_KEYS: readonly Binding[] = [
  { action: 'next', keys: ['→', 'space', 'n'], description: 'next step' },
  { action: 'previous', keys: ['←', 'p'], description: 'previous step' },
  { action: 'pageDown', keys: ['pagedown'], description: "the show's next page, or its next step (a clicker's \"next\")" },
  { action: 'pageUp', keys: ['pageup'], description: "the show's previous page, or its previous step" },
  { action: 'run', keys: ['enter'], description: 'run the current step' },
  { action: 'jump', keys: ['g'], description: 'jump to a step' },
  { action: 'allRows', keys: ['a'], description: 'every row of the result on the show, or the first rows again' },
  { action: 'blank', keys: ['b'], description: 'blank the projected screen, or show it again' },
  { action: 'talkClock', keys: ['t'], description: 'start the talk clock now (every timer from zero)' },
  { action: 'restore', keys: ['R'], description: 'open restore on the show' },
  { action: 'cancel', keys: ['ctrl+c'], description: 'cancel the running step' },
  { action: 'confirm', keys: ['y'], description: "answer yes to the show's question" },
  { action: 'dismiss', keys: ['escape'], description: "answer no / close the show's dialog" },
  { action: 'scrollDown', keys: ['↓', 'j'], description: 'scroll the talking points' },
  { action: 'scrollUp', keys: ['↑', 'k'], description: 'scroll the talking points' },
  { action: 'quit', keys: ['q'], description: 'leave the console (the show goes on)' },
];

/** The help overlay's sections, in order. */
export const HELP_SECTIONS: ReadonlyArray<{ title: string; bindings: readonly Binding[] }> = [
  { title: 'Anywhere', bindings: GLOBAL_KEYS },
  { title: 'On a step', bindings: SHOW_KEYS },
  { title: 'In the jump list', bindings: LIST_KEYS },
  { title: 'In a question', bindings: CONFIRM_KEYS },
];

function matches(name: string, input: string, key: Key): boolean {
  switch (name) {
    case '→':
      return key.rightArrow;
    case '←':
      return key.leftArrow;
    case '↑':
      return key.upArrow;
    case '↓':
      return key.downArrow;
    case 'enter':
      return key.return;
    case 'escape':
      return key.escape;
    case 'space':
      return input === ' ';
    case 'ctrl+c':
      return key.ctrl && input === 'c';
    case 'pagedown':
      return key.pageDown;
    case 'pageup':
      return key.pageUp;
    case 'home':
      return key.home;
    case 'end':
      return key.end;
    default:
      return !key.ctrl && !key.meta && input === name;
  }
}

/**
 * Ink hands over a run of plain characters as one input ("ns" when two keys arrive in one read:
 * fast typing, a clicker, a slow SSH link). Each character is a key press of its own.
 */
export function eachKey(input: string, key: Key, handle: (input: string, key: Key) => void): void {
  if (input.length > 1 && !key.ctrl && !key.meta) {
    for (const character of input) handle(character, key);
  } else handle(input, key);
}

export function actionFor(bindings: readonly Binding[], input: string, key: Key): Action | undefined {
  return bindings.find((b) => b.keys.some((k) => matches(k, input, key)))?.action;
}

/** Keys as they are printed on a keyboard. */
const PRINTED: Readonly<Record<string, string>> = { pagedown: 'PgDn', pageup: 'PgUp', home: 'Home', end: 'End' };

export function keyLabel(binding: Binding): string {
  return binding.keys.map((k) => PRINTED[k] ?? k).join(' ');
}

/** The first key of an action, for a hint such as "R restore". */
export function firstKey(bindings: readonly Binding[], action: Action): string {
  return bindings.find((b) => b.action === action)?.keys[0] ?? '';
}
