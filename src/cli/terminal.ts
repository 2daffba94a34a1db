/**
 * Text for a terminal. What the command line prints comes partly from others — run names, tags
 * and notes in a shared tracking store, names and estimator types in a model package, column
 * names in a data file — and must not be able to drive the terminal that shows it.
 *
 * @module
 */

// C0 controls but tab and newline, DEL, C1 controls (0x9b is a one-byte CSI to many terminals),
// and the bidirectional overrides and isolates that reorder what is shown.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this matches
const UNSAFE_FOR_TERMINAL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * `text` made safe to print to a terminal: control characters (ESC, BEL, CR, C1 controls, …) and
 * bidirectional overrides become visible escapes (`\u001b`), so a run name, tag, note or error
 * message from a shared store or a model package cannot move the cursor, clear the screen, set
 * the window title or the clipboard, or display reordered text. Tabs and newlines are kept.
 */
export function terminalSafe(text: string): string {
  return text.replace(UNSAFE_FOR_TERMINAL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
