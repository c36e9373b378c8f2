/** One theme. Colours are dropped when NO_COLOR is set (https://no-color.org). */
import type { EngineKind } from '../engine/types.js';

const noColor = process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '';

const palette = {
  title: 'cyanBright',
  accent: 'cyan',
  muted: 'gray',
  ok: 'green',
  warn: 'yellow',
  bad: 'red',
  pause: 'magentaBright',
  claim: 'gray',
  measured: 'greenBright',
  bar: 'cyan',
  sqlKeyword: 'cyanBright',
  sqlString: 'green',
  sqlNumber: 'magentaBright',
  sqlComment: 'gray',
  sqlName: 'yellow',
} as const;

export type ThemeColor = keyof typeof palette;

/** The colour for a role, or undefined (terminal default) under NO_COLOR. */
export function color(role: ThemeColor): string | undefined {
  return noColor ? undefined : palette[role];
}

/** A colour the runbook names (a layer's), or undefined under NO_COLOR or when it names none. */
export function namedColor(name: string | undefined): string | undefined {
  return noColor ? undefined : name;
}

/** The engine badge must be impossible to mistake: live is red on white, rehearsal magenta. */
export function badgeColors(kind: EngineKind): { color?: string; backgroundColor?: string } {
  if (noColor) return {};
  switch (kind) {
    case 'snowflake':
      return { color: 'whiteBright', backgroundColor: 'red' };
    case 'local':
      return { color: 'black', backgroundColor: 'cyan' };
    case 'rehearsal':
      return { color: 'whiteBright', backgroundColor: 'magenta' };
  }
}

export const isColorless = noColor;
