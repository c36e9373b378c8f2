/**
 * Text made safe for a fixed-height screen: every element is exactly one terminal row, so the frame
 * can never grow taller than the terminal (Ink 6.8 clears the whole screen when it does).
 */

/**
 * One row of text: line breaks become a visible ↵, tabs spaces, and every other control character
 * (including ESC, so data cannot move the cursor or recolour the screen) is dropped.
 */
export function oneLine(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ↵ ')
    .replace(/\t/g, '  ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

/** Cuts to `width` with an ellipsis, so a cut value never looks whole. */
export function clip(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text;
}

/** Word-wraps to exact lines so the screen knows its height before Ink lays it out. */
export function wrap(text: string, width: number): string[] {
  const w = Math.max(1, width);
  const lines: string[] = [];
  let current = '';
  for (const word of oneLine(text).split(/\s+/).filter(Boolean)) {
    if (current && current.length + 1 + word.length > w) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
    while (current.length > w) {
      lines.push(current.slice(0, w));
      current = current.slice(w);
    }
  }
  if (current) lines.push(current);
  return lines;
}

/** The slice of `items` that fits `height` rows from `offset`, with the offset clamped. */
export function windowOf<T>(items: readonly T[], offset: number, height: number): { shown: T[]; offset: number } {
  const max = Math.max(0, items.length - height);
  const start = Math.max(0, Math.min(offset, max));
  return { shown: items.slice(start, start + Math.max(0, height)), offset: start };
}

/** The text with its first letter upper-case, for a label that starts a sentence ("Step 6 …"). */
export function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
