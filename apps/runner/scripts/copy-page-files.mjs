// The draw-a-digit page's markup and style sit beside its TypeScript; tsc copies neither.
import { copyFileSync, mkdirSync } from 'node:fs';
import { URL } from 'node:url';

const from = new URL('../src/page/browser/', import.meta.url);
const to = new URL('../dist/page/browser/', import.meta.url);
mkdirSync(to, { recursive: true });
for (const name of ['index.html', 'style.css']) copyFileSync(new URL(name, from), new URL(name, to));
