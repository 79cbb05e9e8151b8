import { type Cell } from './cells';
import { PlanParseError } from './errors';
import { type CategoryRow, type ItemRow, type SubItemRow, type TableRow } from './table';
import {
  isCollectiveUnit,
  type ParsedCategory,
  type ParsedItem,
  type ParsedTarget,
  type ParsedTask,
  type Quarter,
} from './types';

export interface PlanTable {
  categories: ParsedCategory[];
  items: ParsedItem[];
  tasks: ParsedTask[];
}

interface ItemGroup {
  row: ItemRow;
  category: number;
  subRows: SubItemRow[];
}

const CITY_LEVEL_MARK = '★';
// `（2）` opens a sub-item's goal; `★（2）` also makes that sub-item alone city-level.
const SUB_ITEM_MARK = /^(★)?（(\d+)）/;
const NO_TARGET = new Set(['/', '／']);

/**
 * How the cells that remain of a row spread over the quarters: fewer than four cells means the
 * original table merged the later quarters.
 */
const QUARTER_SPANS: Record<number, Quarter[][]> = {
  4: [[1], [2], [3], [4]],
  3: [[1], [2], [3, 4]],
  2: [[1], [2, 3, 4]],
  1: [[1, 2, 3, 4]],
};

/** Turns the rows into categories (their counts checked), items and their tasks. */
export function assembleTable(rows: TableRow[]): PlanTable {
  const categories: { row: CategoryRow; items: ItemGroup[] }[] = [];
  for (const row of rows) {
    const current = categories[categories.length - 1];
    if (row.kind === 'category') {
      if (current !== undefined) checkDeclaredCount(current.row, current.items.length);
      const expected = (current?.row.number ?? 0) + 1;
      if (row.number !== expected) {
        throw new PlanParseError(
          `expected category ${expected}, found category ${row.number} (${row.title})`,
          row.line,
        );
      }
      categories.push({ row, items: [] });
    } else if (current === undefined) {
      throw new PlanParseError(
        'found a task row before the first category row (like （一）保障底线民生（共6项）)',
        row.line,
      );
    } else if (row.kind === 'item') {
      current.items.push({ row, category: current.row.number, subRows: [] });
    } else {
      // The reader only yields a sub-item row after an item, and items always sit in a category.
      current.items[current.items.length - 1].subRows.push(row);
    }
  }
  const last = categories[categories.length - 1];
  if (last === undefined) {
    throw new PlanParseError('the table holds no category rows', null);
  }
  checkDeclaredCount(last.row, last.items.length);

  const groups = categories.flatMap((c) => c.items);
  const tasks = groups.flatMap(tasksOfItem);
  return {
    categories: categories.map(({ row, items }) => ({
      number: row.number,
      title: row.title,
      declaredCount: row.declaredCount,
      items: items.map((i) => i.row.number),
      line: row.line,
    })),
    items: groups.map(({ row, category }) => ({
      number: row.number,
      name: stripCityLevelMark(row.name),
      category,
      cityLevel: row.name.startsWith(CITY_LEVEL_MARK),
      taskCodes: tasks.filter((t) => t.item === row.number).map((t) => t.code),
      line: row.line,
    })),
    tasks,
  };
}

function checkDeclaredCount(row: CategoryRow, found: number): void {
  if (row.declaredCount !== found) {
    throw new PlanParseError(
      `category （${row.number}）${row.title} declares ${row.declaredCount} items (共${row.declaredCount}项) but lists ${found}`,
      row.line,
    );
  }
}

/** One task per row: `29` for a single-row item (even with inline （1）…（2）…), else `14.1`, `14.2`. */
function tasksOfItem({ row, category, subRows }: ItemGroup): ParsedTask[] {
  const itemCityLevel = row.name.startsWith(CITY_LEVEL_MARK);
  const item = { number: row.number, category, name: stripCityLevelMark(row.name) };
  if (subRows.length === 0) {
    const goalCityLevel = row.goal.text.startsWith(CITY_LEVEL_MARK);
    return [
      buildTask(
        String(row.number),
        item,
        row,
        stripCityLevelMark(row.goal.text),
        itemCityLevel || goalCityLevel,
      ),
    ];
  }
  return [row, ...subRows].map((taskRow, index) => {
    const ordinal = index + 1;
    const mark = SUB_ITEM_MARK.exec(taskRow.goal.text);
    // The first row may omit its （1）; every following row must number itself in order.
    if (index > 0 && (mark === null || Number(mark[2]) !== ordinal)) {
      throw new PlanParseError(
        `expected the goal of sub-item ${ordinal} of item ${row.number} to start with （${ordinal}）, found '${taskRow.goal.text}'`,
        taskRow.goal.line,
      );
    }
    const goal =
      mark === null
        ? stripCityLevelMark(taskRow.goal.text)
        : taskRow.goal.text.slice(mark[0].length);
    const cityLevel = itemCityLevel || mark?.[1] !== undefined;
    return buildTask(`${row.number}.${ordinal}`, item, taskRow, goal, cityLevel);
  });
}

function buildTask(
  code: string,
  item: { number: number; category: number; name: string },
  row: ItemRow | SubItemRow,
  goal: string,
  cityLevel: boolean,
): ParsedTask {
  const units = readUnits(code, row.units);
  const leadUnit = isCollectiveUnit(units[0]) ? null : units[0];
  return {
    code,
    item: item.number,
    category: item.category,
    name: item.name,
    goal,
    cityLevel,
    units,
    leadUnit,
    targets: spreadTargets(code, row.targets),
    coUnits: units.slice(1),
    line: row.line,
  };
}

/** Units sit one per line (sometimes several lines apart); `、` or `，` also separates them. */
function readUnits(code: string, cell: Cell): string[] {
  const units = cell.lines
    .flatMap((l) => l.split(/[、，,]/))
    .map((u) => u.trim())
    .filter((u) => u !== '' && !NO_TARGET.has(u));
  if (units.length === 0) {
    throw new PlanParseError(
      `task ${code} has no responsible unit: expected at least one unit in its 责任部门 cell`,
      cell.line,
    );
  }
  const repeated = units.find((u, i) => units.indexOf(u) !== i);
  if (repeated !== undefined) {
    throw new PlanParseError(`task ${code} lists the unit ${repeated} twice`, cell.line);
  }
  return units;
}

function spreadTargets(code: string, cells: Cell[]): ParsedTarget[] {
  const spans = QUARTER_SPANS[cells.length];
  return cells.map((cell, index) => {
    if (cell.text === '') {
      throw new PlanParseError(
        `task ${code} has an empty quarterly target cell: expected a target or '/' for none`,
        cell.line,
      );
    }
    const quarters = spans[index];
    return {
      quarters,
      text: NO_TARGET.has(cell.text) ? null : cell.text,
      inferred: quarters.length > 1,
    };
  });
}

function stripCityLevelMark(text: string): string {
  return text.startsWith(CITY_LEVEL_MARK) ? text.slice(CITY_LEVEL_MARK.length).trim() : text;
}
