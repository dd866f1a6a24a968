// The rollback loop of docs/rollback.md, read from the doc itself: the registry test runs exactly
// what users are told to run, and the docs test holds it to the promote function's arguments.

export const ROLLBACK_MARKER = "<!-- rollback-commands -->";

/** The shell commands of the fenced block right after the marker. */
export function rollbackCommands(markdown: string): string {
  const at = markdown.indexOf(ROLLBACK_MARKER);
  if (at < 0) throw new Error(`docs/rollback.md has no ${ROLLBACK_MARKER} marker`);
  const match = /^\s*```(?:sh|bash)\n([\s\S]*?)\n```/.exec(markdown.slice(at + ROLLBACK_MARKER.length));
  if (!match || match[1] === undefined) throw new Error(`no sh code block right after ${ROLLBACK_MARKER} in docs/rollback.md`);
  return match[1];
}
