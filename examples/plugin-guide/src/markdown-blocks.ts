/** A fenced code block of a Markdown document. */
export interface CodeBlock {
  /** First word of the info string (`ts`, `json`, `sh`); '' when there is none. */
  readonly lang: string;
  /** `key=value` words of the info string after the language, e.g. { file: 'src/csv.ts' }. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly code: string;
  /** 1-based line of the opening fence, for messages. */
  readonly line: number;
}

const OPENING = /^( {0,3})(`{3,}|~{3,})(.*)$/;

/**
 * Every fenced code block, in order, following CommonMark's rules for fences: three or more
 * backticks or tildes indented by at most three spaces, closed by a fence of the same character
 * at least as long; content lines lose the opening fence's indentation. A block left open runs
 * to the end of the document, as CommonMark has it.
 */
export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split('\n');
  if (lines.at(-1) === '') lines.pop(); // the document's final newline ends its last line
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = OPENING.exec(lines[i]!);
    if (open === null) continue;
    const indent = open[1]!;
    const fence = open[2]!;
    const info = open[3]!;
    // A backtick fence's info string cannot hold a backtick (that line is inline code instead).
    if (fence.startsWith('`') && info.includes('`')) continue;
    const closing = new RegExp(`^ {0,3}${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    const content: string[] = [];
    let end = i + 1;
    while (end < lines.length && !closing.test(lines[end]!)) {
      const text = lines[end]!;
      content.push(text.startsWith(indent) ? text.slice(indent.length) : text.trimStart());
      end++;
    }
    const [lang = '', ...words] = info.trim().split(/\s+/).filter((word) => word !== '');
    const attributes = Object.fromEntries(
      words.filter((word) => word.includes('=')).map((word) => [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]),
    );
    blocks.push({ lang, attributes, code: content.length === 0 ? '' : `${content.join('\n')}\n`, line: i + 1 });
    i = end;
  }
  return blocks;
}

export interface ProjectFile {
  readonly path: string;
  readonly content: string;
  /** Line of the block in the document. */
  readonly line: number;
}

/**
 * The files a document's blocks describe: each block with a `file=PATH` attribute becomes the
 * file PATH. Problems (one sentence each): a `ts` block without `file=` (every TypeScript
 * example must be one of the files, so none escapes the checks), two blocks for one file, and a
 * path that is absolute or leaves the project folder.
 */
export function projectFiles(blocks: readonly CodeBlock[]): { files: ProjectFile[]; problems: string[] } {
  const files: ProjectFile[] = [];
  const problems: string[] = [];
  for (const block of blocks) {
    const path = block.attributes['file'];
    if (path === undefined) {
      if (block.lang === 'ts') problems.push(`line ${block.line}: a ts block without file=PATH; say which file of the example package it is.`);
      continue;
    }
    if (path.startsWith('/') || path.split('/').includes('..') || path === '') {
      problems.push(`line ${block.line}: file=${path} must be a relative path inside the example package.`);
      continue;
    }
    const earlier = files.find((file) => file.path === path);
    if (earlier !== undefined) {
      problems.push(`line ${block.line}: file=${path} is already the block at line ${earlier.line}; a file has one block.`);
      continue;
    }
    files.push({ path, content: block.code, line: block.line });
  }
  return { files, problems };
}
