import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { DomainError } from '@duban/errors';
import { OrganisationService } from '@duban/organisation';
import {
  CategoryEntity,
  PlanEntity,
  QuarterlyTargetEntity,
  TaskEntity,
  TaskResponsibilityEntity,
  type LadderSettings,
} from '@duban/persistence';
import { parsePlanDocument, PlanParseError, type ParsedPlan } from '@duban/plan-import';
import { PLANS_OPTIONS, type PlansOptions } from './plans.options';

export const DEFAULT_LADDER_SETTINGS: LadderSettings = {
  warningDaysBefore: [7, 1],
  overdueEscalationAfterDays: 3,
  escalationRepeatDays: 7,
  headReminderAfterDays: 2,
  officeReminderAfterDays: 3,
};

export interface ImportResult {
  plan: PlanEntity;
  /** False when the same document was already stored for that year. */
  created: boolean;
}

@Injectable()
export class PlanImportService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly organisation: OrganisationService,
    @Inject(PLANS_OPTIONS) private readonly options: PlansOptions,
  ) {}

  /**
   * Parses and stores a plan notice. The same document for the same year is stored once; `year`
   * other than the document's stores a separate plan whose every date moves to that year.
   */
  async importDocument(document: Buffer | string, year?: number): Promise<ImportResult> {
    let parsed: ParsedPlan;
    try {
      parsed = parsePlanDocument(document);
    } catch (error) {
      if (error instanceof PlanParseError) {
        throw new DomainError('PLAN_PARSE_ERROR', error.message, { line: error.line });
      }
      throw error;
    }
    const planYear = year ?? parsed.year;
    if (!Number.isInteger(planYear) || planYear < 2000 || planYear > 2100) {
      throw new DomainError('INVALID_INPUT', `year must be between 2000 and 2100, got ${year}`);
    }
    const sha = createHash('sha256').update(JSON.stringify(parsed)).digest('hex');

    // Resolve every unit before writing anything: a plan naming an unknown unit is refused whole.
    const unitsByTask = new Map<
      string,
      Awaited<ReturnType<OrganisationService['resolveResponsibleUnits']>>
    >();
    for (const task of parsed.tasks) {
      unitsByTask.set(task.code, await this.organisation.resolveResponsibleUnits(task.units));
    }

    return this.dataSource.transaction('SERIALIZABLE', async (tx) => {
      const plans = tx.getRepository(PlanEntity);
      const existing = await plans.findOne({
        where: { docNumber: parsed.docNumber, year: planYear },
      });
      if (existing) {
        if (existing.documentSha256 !== sha) {
          throw new DomainError(
            'CONFLICT',
            `plan ${existing.id} (${parsed.docNumber}, ${planYear}) was already imported from a different document`,
          );
        }
        return { plan: existing, created: false };
      }
      const id = await this.freePlanId(tx, planYear);
      const plan = plans.create({
        id,
        docNumber: parsed.docNumber,
        title: parsed.title.replace(String(parsed.year), String(planYear)),
        year: planYear,
        sourceYear: parsed.year,
        issuedOn: rebaseDate(parsed.issuedOn, parsed.year, planYear),
        reportTo: parsed.reportTo,
        issuers: parsed.issuers,
        status: 'imported',
        ladder: DEFAULT_LADDER_SETTINGS,
        documentSha256: sha,
        activatedAt: null,
      });
      await plans.insert(plan);
      await tx.getRepository(CategoryEntity).insert(
        parsed.categories.map((c) => ({
          planId: id,
          number: c.number,
          title: c.title,
          declaredCount: c.declaredCount,
        })),
      );
      let position = 0;
      for (const task of parsed.tasks) {
        const inserted = await tx.getRepository(TaskEntity).insert({
          planId: id,
          code: task.code,
          item: task.item,
          category: task.category,
          name: task.name,
          goal: task.goal,
          cityLevel: task.cityLevel,
          position: position++,
        });
        const taskId = (inserted.identifiers[0] as { id: number }).id;
        const units = unitsByTask.get(task.code)!;
        await tx.getRepository(TaskResponsibilityEntity).insert(
          units.map((u, i) => ({
            taskId,
            unitCode: u.code,
            role: u.lead ? ('lead' as const) : ('co' as const),
            writtenAs: u.writtenAs,
            position: i,
          })),
        );
        await tx.getRepository(QuarterlyTargetEntity).insert(
          task.targets.flatMap((t) =>
            t.quarters.map((quarter) => ({
              taskId,
              quarter,
              text: t.text,
              inferred: t.inferred,
              span: t.quarters,
            })),
          ),
        );
      }
      return { plan, created: true };
    });
  }

  private async freePlanId(tx: EntityManager, year: number): Promise<string> {
    const base = `${year}-${this.options.districtCode}`;
    for (let n = 1; ; n++) {
      const candidate = n === 1 ? base : `${base}-${n}`;
      if (!(await tx.getRepository(PlanEntity).existsBy({ id: candidate }))) return candidate;
    }
  }
}

/** Moves an ISO date from the document's year to the plan's year (29 February → 28). */
export function rebaseDate(isoDate: string, fromYear: number, toYear: number): string {
  if (fromYear === toYear) return isoDate;
  const [, month, day] = isoDate.split('-').map(Number);
  const lastDay = new Date(Date.UTC(toYear, month, 0)).getUTCDate();
  const d = Math.min(day, lastDay);
  return `${toYear}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
