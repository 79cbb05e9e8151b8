import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The committed seed notice, read where it lives (never copied). */
export const SEED_PATH = join(__dirname, '../../../infra/seed/2017-jianghai-livelihood-plan.txt');

export const seedBytes = (): Buffer => readFileSync(SEED_PATH);
export const seedText = (): string => seedBytes().toString('utf8');

export interface LineEdit {
  /** 1-based line number in the seed. */
  line: number;
  /** What the line must hold now, so that a changed seed breaks the test loudly, not silently. */
  was: string;
  /** The lines that replace it (none deletes it). */
  becomes: string[];
}

/** The seed with whole lines replaced; edits are applied bottom-up so line numbers stay the seed's. */
export function editSeed(...edits: LineEdit[]): string {
  const lines = seedText().split('\n');
  for (const edit of [...edits].sort((a, b) => b.line - a.line)) {
    const current = lines[edit.line - 1];
    if (current !== edit.was) {
      throw new Error(`seed line ${edit.line} is '${current}', expected '${edit.was}'`);
    }
    lines.splice(edit.line - 1, 1, ...edit.becomes);
  }
  return lines.join('\n');
}

/** Deletes the seed lines from..to (inclusive), checking the first and last of them. */
export function deleteSeedLines(from: number, to: number, first: string, last: string): string {
  const lines = seedText().split('\n');
  if (lines[from - 1] !== first || lines[to - 1] !== last) {
    throw new Error(`seed lines ${from}..${to} are not '${first}' … '${last}'`);
  }
  lines.splice(from - 1, to - from + 1);
  return lines.join('\n');
}
