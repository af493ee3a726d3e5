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
 * usage error with a caret excerpt under each offending spot. Merge keys (`<<: *base`) are on:
 * configs repeat whole sections (a test split like the train one), and without them `<<` would
 * be reported as an unknown key.
 */
export function parseYamlSource(text: string, displayName: string): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, merge: true });
  if (doc.errors.length > 0) {
    const parts = doc.errors.map((error) => {
      const { line, col } = lineCounter.linePos(error.pos[0]);
      const what = error.code === 'MULTIPLE_DOCS' ? SECOND_DOCUMENT : `YAML syntax error: ${firstLine(error.message)}`;
      return `${displayName}:${line}:${col} ${what}\n${caretExcerpt(text, line, col)}`;
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

/**
 * The parser's own text for this ("please use YAML.parseAllDocuments()") speaks to programmers.
 * The runner reads one document; silently ignoring the rest would drop settings a user wrote.
 */
const SECOND_DOCUMENT =
  'a second YAML document starts here, but a config file holds one document. Delete from here to ' +
  'the end of the file, or move that document into a config file of its own.';

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
