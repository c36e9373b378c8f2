/**
 * The one key map: input handling and the help overlay are both generated from it, so what the
 * help says is what the keys do.
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
  | 'scrollUp'
  | 'scrollDown'
  | 'confirm'
  | 'dismiss';

/** A key as written in the table: a character, or a named key such as "enter", "→", "ctrl+c". */
export interface Binding {
  action: Action;
  keys: readonly string[];
  description: string;
}

export const SHOW_KEYS: readonly Binding[] = [
  { action: 'next', keys: ['→', 'space', 'n'], description: 'next step' },
  { action: 'previous', keys: ['←', 'p'], description: 'previous step' },
  { action: 'run', keys: ['enter'], description: 'run this step' },
  { action: 'cancel', keys: ['ctrl+c'], description: 'cancel the running step (press again to quit)' },
  { action: 'restore', keys: ['R'], description: 'restore the original data (asks first)' },
  { action: 'jump', keys: ['g'], description: 'jump to a step' },
  { action: 'sql', keys: ['s'], description: "show this step's SQL" },
  { action: 'scrollDown', keys: ['↓', 'j'], description: 'scroll down' },
  { action: 'scrollUp', keys: ['↑', 'k'], description: 'scroll up' },
  { action: 'help', keys: ['?'], description: 'this help' },
  { action: 'quit', keys: ['q'], description: 'quit (asks first)' },
];

/** In a list (the jump list). */
export const LIST_KEYS: readonly Binding[] = [
  { action: 'scrollDown', keys: ['↓', 'j'], description: 'down' },
  { action: 'scrollUp', keys: ['↑', 'k'], description: 'up' },
  { action: 'confirm', keys: ['enter'], description: 'go there' },
  { action: 'dismiss', keys: ['escape', 'g', 'q'], description: 'close' },
];

/** In a yes/no dialog. */
export const CONFIRM_KEYS: readonly Binding[] = [
  { action: 'confirm', keys: ['y'], description: 'yes' },
  { action: 'dismiss', keys: ['n', 'escape'], description: 'no' },
];

/** In an overlay that only shows something (help, SQL). */
export const OVERLAY_KEYS: readonly Binding[] = [
  { action: 'scrollDown', keys: ['↓', 'j'], description: 'scroll down' },
  { action: 'scrollUp', keys: ['↑', 'k'], description: 'scroll up' },
  { action: 'dismiss', keys: ['escape', 'q', '?', 's'], description: 'close' },
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
    default:
      return !key.ctrl && !key.meta && input === name;
  }
}

export function actionFor(bindings: readonly Binding[], input: string, key: Key): Action | undefined {
  return bindings.find((b) => b.keys.some((k) => matches(k, input, key)))?.action;
}

export function keyLabel(binding: Binding): string {
  return binding.keys.join(' ');
}
