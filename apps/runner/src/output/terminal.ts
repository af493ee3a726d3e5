/** Where human text goes and what it may use there. */
export interface TextStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface Terminal {
  readonly stream: TextStream;
  /** Redraw in place (progress bar) rather than print lines. */
  readonly interactive: boolean;
  readonly colour: boolean;
  readonly width: number;
  /** Seconds between plain progress lines where no bar is drawn; 0 prints none. */
  readonly progressSeconds: number;
  /** Why SCRATCHNET_PROGRESS_SECONDS was not used, for a warning (the default applies). */
  readonly progressProblem?: string;
}

export const PROGRESS_SECONDS_VAR = 'SCRATCHNET_PROGRESS_SECONDS';
export const DEFAULT_PROGRESS_SECONDS = 10;

/**
 * Escape codes and `\r` redraws only on a TTY that is not `TERM=dumb`, and only when NO_COLOR is
 * unset or empty. NO_COLOR (https://no-color.org) speaks of colour, but the people who set it
 * (screen readers, terminal logs, CI under a pty) want plain text: a redrawn bar leaves a trail of
 * `\r` and half lines there. They get plain progress lines instead.
 */
export function createTerminal(stream: TextStream, env: NodeJS.ProcessEnv): Terminal {
  const noColour = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  const interactive = stream.isTTY === true && env.TERM !== 'dumb' && !noColour;
  const progress = progressSeconds(env[PROGRESS_SECONDS_VAR]);
  return { stream, interactive, colour: interactive, width: stream.columns || 80, ...progress };
}

function progressSeconds(text: string | undefined): { progressSeconds: number; progressProblem?: string } {
  if (text === undefined || text.trim() === '') return { progressSeconds: DEFAULT_PROGRESS_SECONDS };
  const seconds = Number(text);
  if (Number.isFinite(seconds) && seconds >= 0) return { progressSeconds: seconds };
  return {
    progressSeconds: DEFAULT_PROGRESS_SECONDS,
    progressProblem:
      `${PROGRESS_SECONDS_VAR} is ${JSON.stringify(text)}, expected a number of seconds >= 0 between progress lines; ` +
      `using ${DEFAULT_PROGRESS_SECONDS}. Set it to e.g. 30, or to 0 for no progress lines.`,
  };
}

export interface Styles {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
}

export function styles(enabled: boolean): Styles {
  const wrap = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39) };
}
