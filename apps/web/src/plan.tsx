import { useEffect, useState } from 'react';
import type { Plan } from './api/types';
import { useLoad, type Loaded } from './components';
import { useSession } from './session';

const PLAN_KEY = 'duban.plan';

/** The plans and the one being looked at: the last chosen, else the newest active one. */
export function usePlan(): {
  plans: Loaded<Plan[]>;
  plan: Plan | null;
  choose: (id: string) => void;
} {
  const { api } = useSession();
  const plans = useLoad(async () => (await api.plans()).items, [api]);
  const [chosen, setChosen] = useState<string | null>(() => localStorage.getItem(PLAN_KEY));
  const items = plans.data ?? [];
  const plan =
    items.find((p) => p.id === chosen) ??
    items.find((p) => p.status === 'active') ??
    items[0] ??
    null;
  useEffect(() => {
    if (chosen) localStorage.setItem(PLAN_KEY, chosen);
  }, [chosen]);
  return { plans, plan, choose: setChosen };
}

export function PlanPicker({ plans, plan, choose }: ReturnType<typeof usePlan>) {
  const items = plans.data ?? [];
  if (items.length <= 1) return plan ? <span className="plan-title">{plan.title}</span> : null;
  return (
    <select
      className="plan-picker"
      aria-label="计划"
      value={plan?.id ?? ''}
      onChange={(e) => choose(e.target.value)}
    >
      {items.map((p) => (
        <option key={p.id} value={p.id}>
          {p.title}
          {p.status === 'active' ? '' : '（未启动）'}
        </option>
      ))}
    </select>
  );
}
