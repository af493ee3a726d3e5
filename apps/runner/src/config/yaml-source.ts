import { LineCounter, parseDocument, visit, type Document } from 'yaml';
import { usageError } from '../exit-codes.js';

/** A parsed YAML file that still knows where every node came from. */
export interface YamlSource {
  /** Path as shown in messages (relative to the working directory when inside it). */
  readonly displayName: string;
  readonly text: string;
  readonly doc: Document.Parsed;
  readonly lineCounter: LineCounter;
}

/**
 * Parses YAML keeping node ranges. Syntax errors (all of them, not just the first) become one
 * usage error with a caret excerpt under each offending spot.
 */
export function parseYamlSource(text: string, displayName: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const parts = doc.errors.map((error) => {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      return `${displayName}:${line}:${col} YAML syntax error: ${firstLine(error.message)}\n${caretExcerpt(text, line, col)}`;
    });
    throw usageError(parts.join('\n'));
  }
  return { displayName, text, doc, lineCounter };
}

/**
 * The document's plain value (after any overrides were applied to it). The yaml package refuses
 * to expand aliases past a budget (a "billion laughs" file would take all memory); that refusal
 * is a property of the file, so it is reported as a config error at the first alias rather than
 * as an internal error.
 */
export function documentValue(source: YamlSource): unknown {
  const { doc, text, displayName, lineCounter } = source;
  try {
    return doc.toJS();
  } catch (error) {
    if (!(error instanceof ReferenceError) || !/alias/i.test(error.message)) throw error;
    let at = 0;
    visit(doc, {
      Alias(_key, node) {
        at = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    const { line, col } = lineCounter.linePos(at);
    throw usageError(
      `${displayName}:${line}:${col} YAML aliases here expand into far more values than a config can hold ` +
        `(the yaml parser stopped: ${firstLine(error.message)}). Write the values out instead of nesting aliases.\n` +
        caretExcerpt(text, line, col),
    );
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/** The line before and the offending line, numbered, with a caret under column `col`. */
export function caretExcerpt(text: string, line: number, col: number): string {
  const lines = text.split(/\r?\n/);
  const first = Math.max(1, line - 1);
  const width = String(line).length;
  const out: string[] = [];
  for (let n = first; n <= Math.min(line, lines.length); n++) {
    out.push(`  ${String(n).padStart(width)} | ${lines[n - 1]}`);
  }
  if (line > lines.length) out.push(`  ${String(line).padStart(width)} | `);
  out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, col - 1))}^`);
  return out.join('\n');
}
