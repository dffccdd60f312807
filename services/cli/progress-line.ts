/**
 * A status line on a terminal: one line redrawn in place (carriage return, the text, clear to
 * the end of the line) and erased before anything else prints, so results and errors never
 * mix with it. The CLI draws one only when stderr is a terminal (cli-io.ts decides); a
 * ProgressLine is given to the statement runner, and none when output is piped.
 *
 * Contract: draw replaces the line's text (a text wider than `columns` is cut to fit, so it
 * never wraps and `\r` always returns to its start); clear erases it and is a no-op when
 * nothing is drawn, so callers clear unconditionally before printing.
 */

const CLEAR_TO_END = '\x1b[K';

export class ProgressLine {
  private drawn = false;

  constructor(
    private readonly out: NodeJS.WritableStream,
    /** The terminal's width; undefined when unknown. */
    private readonly columns: () => number | undefined = () => undefined,
  ) {}

  draw(text: string): void {
    const width = this.columns();
    const fitted = width !== undefined && width > 1 && text.length >= width ? text.slice(0, width - 1) : text;
    this.out.write(`\r${fitted}${CLEAR_TO_END}`);
    this.drawn = true;
  }

  clear(): void {
    if (!this.drawn) return;
    this.out.write(`\r${CLEAR_TO_END}`);
    this.drawn = false;
  }
}
