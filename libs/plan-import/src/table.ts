import { type Cell } from './cells';
import { PlanParseError } from './errors';
import { CLOSING_NOTE, TABLE_HEADER } from './types';

export interface CategoryRow {
  kind: 'category';
  line: number;
  number: number;
  title: string;
  declaredCount: number;
}

/** The cells every task row has after its leading cells: goal, units and 1–4 targets. */
interface TaskRowCells {
  line: number;
  goal: Cell;
  units: Cell;
  targets: Cell[];
}

export interface ItemRow extends TaskRowCells {
  kind: 'item';
  number: number;
  name: string;
}

export interface SubItemRow extends TaskRowCells {
  kind: 'sub-item';
}

export type TableRow = CategoryRow | ItemRow | SubItemRow;

const CATEGORY = /^（([一二三四五六七八九十]+)）(.+)（共(\d+)项）$/;
const ITEM_NUMBER = /^\d+$/;

const isCategory = (cell: Cell): boolean => CATEGORY.test(cell.text);
const isItemNumber = (cell: Cell): boolean => ITEM_NUMBER.test(cell.text);
const isNote = (cell: Cell): boolean => cell.text === CLOSING_NOTE;

/**
 * Groups the table's cells into rows. Nothing in the text marks where a row ends, so a row ends
 * where the next one visibly starts: a category, an item number, two empty cells, or the note.
 */
export function readTableRows(cells: Cell[], lastLine: number): TableRow[] {
  return new TableReader(cells, lastLine).read();
}

class TableReader {
  private at = 0;
  private lastItem = 0;

  constructor(
    private readonly cells: Cell[],
    private readonly lastLine: number,
  ) {}

  read(): TableRow[] {
    this.readHeader();
    const rows: TableRow[] = [];
    for (;;) {
      const cell = this.peek();
      if (cell === undefined) {
        throw new PlanParseError(
          `the table ends without the closing note '${CLOSING_NOTE}'`,
          this.lastLine,
        );
      }
      if (isNote(cell)) {
        this.at++;
        const after = this.peek();
        if (after !== undefined) {
          throw new PlanParseError(
            `expected nothing after the closing note, found '${after.text}'`,
            after.line,
          );
        }
        return rows;
      }
      if (isCategory(cell)) rows.push(this.readCategoryRow());
      else if (isItemNumber(cell)) rows.push(this.readItemRow());
      else if (cell.text === '') rows.push(this.readSubItemRow());
      else {
        throw new PlanParseError(
          `expected a category row, an item number, a sub-item row or the closing note, found '${cell.text}'`,
          cell.line,
        );
      }
    }
  }

  private readHeader(): void {
    const first = this.peek();
    if (first === undefined || first.text !== TABLE_HEADER[0]) {
      throw new PlanParseError(
        `expected the table header (${TABLE_HEADER.join(' ')}), found '${first?.text ?? 'the end of the document'}'`,
        first?.line ?? this.lastLine,
      );
    }
    for (const name of TABLE_HEADER) {
      const cell = this.peek();
      if (cell?.text !== name) {
        throw new PlanParseError(
          `expected the table header cell '${name}', found '${cell?.text ?? 'the end of the document'}'`,
          cell?.line ?? this.lastLine,
        );
      }
      this.at++;
    }
  }

  private readCategoryRow(): CategoryRow {
    const cell = this.take();
    const [, numeral, title, count] = CATEGORY.exec(cell.text) ?? [];
    const number = chineseNumeral(numeral);
    if (!Number.isInteger(number)) {
      throw new PlanParseError(`'（${numeral}）' is not a category number`, cell.line);
    }
    return {
      kind: 'category',
      line: cell.line,
      number,
      title,
      declaredCount: Number(count),
    };
  }

  private readItemRow(): ItemRow {
    const numberCell = this.take();
    const number = Number(numberCell.text);
    const label = `item ${number}`;
    if (number !== this.lastItem + 1) {
      throw new PlanParseError(
        `expected item ${this.lastItem + 1}, found item ${number}`,
        numberCell.line,
      );
    }
    this.lastItem = number;
    const name = this.takeLeading(label, 'name', numberCell.line);
    return {
      kind: 'item',
      number,
      name: name.text,
      ...this.readTaskCells(label, numberCell.line),
    };
  }

  private readSubItemRow(): SubItemRow {
    const first = this.take();
    const second = this.peek();
    if (second?.text !== '') {
      throw new PlanParseError(
        'expected two empty cells starting a sub-item row, found only one',
        first.line,
      );
    }
    this.at++;
    if (this.lastItem === 0) {
      throw new PlanParseError('found a sub-item row before any item', first.line);
    }
    return {
      kind: 'sub-item',
      ...this.readTaskCells(`the sub-item row of item ${this.lastItem}`, first.line),
    };
  }

  private readTaskCells(label: string, line: number): TaskRowCells {
    const goal = this.takeLeading(label, 'goal', line);
    const units = this.peek();
    if (units === undefined || this.atRowStart()) {
      throw new PlanParseError(
        `${label} ends after its goal: expected the responsible units and 1–4 quarterly target cells`,
        line,
      );
    }
    this.at++;
    const targets: Cell[] = [];
    for (let cell = this.peek(); cell !== undefined && !this.atRowStart(); cell = this.peek()) {
      if (targets.length === 4) {
        throw new PlanParseError(
          `${label} has more than 4 quarterly target cells: found '${cell.text}' after 四季度目标`,
          cell.line,
        );
      }
      targets.push(this.take());
    }
    if (targets.length === 0) {
      throw new PlanParseError(
        `${label} has no quarterly target cells: expected 1–4 after the responsible units`,
        line,
      );
    }
    return { line, goal, units, targets };
  }

  /** The name or goal: present and not the start of the next row, or the row is truncated. */
  private takeLeading(label: string, what: string, line: number): Cell {
    const cell = this.peek();
    if (cell === undefined || cell.text === '' || this.atRowStart()) {
      throw new PlanParseError(
        `${label} ends before its ${what}: expected name, goal, responsible units and 1–4 quarterly target cells`,
        line,
      );
    }
    return this.take();
  }

  /** Whether the next cell starts a row; one empty cell (an empty units cell) does not. */
  private atRowStart(): boolean {
    const cell = this.cells[this.at];
    if (cell === undefined) return false;
    if (cell.text === '') return this.cells[this.at + 1]?.text === '';
    return isCategory(cell) || isItemNumber(cell) || isNote(cell);
  }

  private peek(): Cell | undefined {
    return this.cells[this.at];
  }

  private take(): Cell {
    return this.cells[this.at++];
  }
}

const DIGITS: Record<string, number> = {
  一: 1,
  二: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** 一 … 九十九, as categories are numbered. */
function chineseNumeral(text: string): number {
  const [tens, ones] = text.includes('十') ? text.split('十') : ['', text];
  const tensValue = text.includes('十') ? (tens === '' ? 1 : (DIGITS[tens] ?? NaN)) : 0;
  const onesValue = ones === '' ? 0 : (DIGITS[ones] ?? NaN);
  return tensValue * 10 + onesValue;
}
