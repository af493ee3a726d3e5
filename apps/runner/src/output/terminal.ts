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
}

/** Colour only on a TTY and only when NO_COLOR is unset or empty (https://no-color.org). */
export function createTerminal(stream: TextStream, env: NodeJS.ProcessEnv): Terminal {
  const interactive = stream.isTTY === true && env.TERM !== 'dumb';
  const noColour = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return { stream, interactive, colour: interactive && !noColour, width: stream.columns ?? 80 };
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
