/**
 * The spinner: ink-spinner's dots. Lines are built as text (so their width is known before Ink lays
 * them out); SPIN marks the spinner's one cell in such a line and `spun` draws it there.
 */
import InkSpinner from 'ink-spinner';
import React, { type ReactNode } from 'react';

/** The spinner's place in a line of text: one cell wide, as each of its frames is. */
export const SPIN = '\u2800';

/** `text` with the spinner animating where SPIN is (the first one), or the text itself. */
export function spun(text: string): ReactNode {
  const at = text.indexOf(SPIN);
  if (at < 0) return text;
  return (
    <>
      {text.slice(0, at)}
      <InkSpinner type="dots" />
      {text.slice(at + SPIN.length)}
    </>
  );
}
