/** A numbered line of the document. */
export interface SourceLine {
  line: number;
  text: string;
}

/** A table cell: started by a tab-led line, continued by the lines without a tab below it. */
export interface Cell {
  line: number;
  /** The cell's non-blank lines, trimmed. */
  lines: string[];
  /** The lines joined with `\n`; blank lines inside a cell are dropped. */
  text: string;
}

export interface SplitDocument {
  /** The lines before the first cell: the notice itself. */
  header: SourceLine[];
  cells: Cell[];
  /** The last non-blank line of the document, for errors about what is missing at the end. */
  lastLine: number;
}

/**
 * Splits the text into the header lines and the table's cells. Blank lines end nothing: they only
 * separate the parts of a cell (units, or the `1.…`/`2.…` parts of a target).
 */
export function splitIntoCells(text: string): SplitDocument {
  const header: SourceLine[] = [];
  const cells: { line: number; lines: string[] }[] = [];
  let lastLine = 1;
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() !== '') lastLine = line;
    if (raw.startsWith('\t')) {
      cells.push({ line, lines: [raw.slice(1)] });
    } else if (cells.length > 0) {
      cells[cells.length - 1].lines.push(raw);
    } else {
      header.push({ line, text: raw });
    }
  });
  return {
    header,
    cells: cells.map(({ line, lines }) => {
      const kept = lines.map((l) => l.trim()).filter((l) => l !== '');
      return { line, lines: kept, text: kept.join('\n') };
    }),
    lastLine,
  };
}
