// A plan's tasks as the server parsed them, for the office to review before starting the plan:
// responsible units (lead first) and the four quarterly targets, merged-cell spreads marked.
import type { PlanTask, PlanTaskTarget } from '../../api/office-types';
import { Empty, LoadState, useLoad } from '../../components';
import { QUARTER_LABELS } from '../../labels';
import { useSession } from '../../session';
import { Table } from './common';

function spanLabel(quarters: number[]): string {
  const first = QUARTER_LABELS[quarters[0]];
  return quarters.length > 1 ? `${first}至${QUARTER_LABELS[quarters[quarters.length - 1]]}` : first;
}

function TargetCell({ target }: { target: PlanTaskTarget }) {
  return (
    <td
      colSpan={target.quarters.length}
      className={`target-cell${target.inferred ? ' target-inferred' : ''}`}
      data-testid="target"
      data-quarters={target.quarters.join(',')}
      data-inferred={target.inferred ? 'true' : 'false'}
    >
      {target.text ?? <span className="muted">无目标（/）</span>}
      {target.inferred && (
        <span
          className="tag tag-inferred"
          title="原表为合并单元格，系统按规则推断适用于这些季度，请核对"
        >
          推断：{spanLabel(target.quarters)}
        </span>
      )}
    </td>
  );
}

export function inferredCount(tasks: PlanTask[]): number {
  return tasks.reduce((n, t) => n + t.targets.filter((x) => x.inferred).length, 0);
}

export function PlanTasks({ planId }: { planId: string }) {
  const { api } = useSession();
  const tasks = useLoad(() => api.planTasks(planId), [api, planId]);
  const units = useLoad(() => api.units(), [api]);
  const unitName = (code: string, writtenAs: string) => {
    const name = units.data?.items.find((u) => u.code === code)?.name;
    return name && name !== writtenAs ? `${name}（${writtenAs}）` : writtenAs;
  };

  return (
    <LoadState loaded={tasks}>
      {(page) =>
        page.items.length === 0 ? (
          <Empty>该计划没有任务</Empty>
        ) : (
          <div data-testid="plan-tasks">
            <p className="small">
              共 {page.total} 项任务
              {page.total > page.items.length && `（显示前 ${page.items.length} 项）`}；
              <span data-testid="inferred-count">
                {inferredCount(page.items)} 处季度目标由合并单元格推断
              </span>
              （黄色标出），请在启动前核对。
            </p>
            <Table
              className="table plan-tasks"
              columns={['编号', '事项', '责任单位', ...QUARTER_LABELS.slice(1)]}
              items={page.items}
              row={(t) => (
                <tr key={t.code} data-testid="plan-task" data-code={t.code}>
                  <td>{t.code}</td>
                  <td>
                    <strong>
                      {t.cityLevel && <span title="市民生实事">★</span>}
                      {t.name}
                    </strong>
                    <div className="small muted">{t.goal}</div>
                  </td>
                  <td className="small">
                    {t.units.map((u) => (
                      <div key={u.code}>
                        {unitName(u.code, u.writtenAs)}
                        {u.role === 'lead' && <span className="tag">牵头</span>}
                      </div>
                    ))}
                  </td>
                  {t.targets.map((target) => (
                    <TargetCell key={target.quarters.join(',')} target={target} />
                  ))}
                </tr>
              )}
            />
          </div>
        )
      }
    </LoadState>
  );
}
