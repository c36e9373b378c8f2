/**
 * Text leaving the program (plain output, `demo report`, check lines, error messages) comes in
 * part from others: runbooks, recordings, query results, servers' error messages. A control
 * character in it could move the cursor, set the terminal's title or reorder what is shown, so
 * every one of them (except line feed and tab) is shown escaped instead, e.g. `\x1b`.
 */

/** C0 controls but tab and line feed, DEL, C1 controls, and the Unicode bidirectional controls. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function escape(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every unsafe character escaped; CR LF line ends become LF. */
export function safeText(text: string): string {
  return text.replace(/\r\n/g, '\n').replace(UNSAFE, escape);
}

/** JSON text whose strings may hold unsafe characters that JSON.stringify leaves raw (DEL, C1, bidi): escaped the JSON way. */
export function safeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
