import type { DeliveryPayload } from '@duban/persistence';

export const KIND_ZH: Record<string, string> = {
  warning: '预警',
  overdue: '逾期',
  escalation: '催办',
  head_reminder: '待审核提醒',
  office_reminder: '待审查提醒',
};

export const OWED_ZH: Record<string, string> = {
  report: '未报送完成情况',
  resubmission: '被退回，待重新报送',
  head_approval: '待单位负责人审核',
};

/** One notice of a message: the outbox row's payload and the task-quarter it is about. */
export interface MessageItem {
  deliveryId: string;
  noticeKey: string;
  taskQuarterId: string;
  payload: DeliveryPayload;
}

export interface ComposedMessage {
  subject: string;
  text: string;
}

/** `2018年1月1日 00:00（北京时间）`; Asia/Shanghai has had no daylight saving since 1991. */
export function formatDeadline(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 8 * 3600_000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}年${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}（北京时间）`;
}

export function taskQuarterLink(publicUrl: string, taskQuarterId: string): string {
  // Colons are legal in a path segment and keep the id readable in the link.
  return `${publicUrl}/task-quarters/${encodeURIComponent(taskQuarterId).replace(/%3A/gi, ':')}`;
}

function describe(item: MessageItem, publicUrl: string): string {
  const p = item.payload;
  const lines = [
    p.title,
    `任务：${p.taskCode} ${p.taskName}`,
    `季度：${p.year}年第${p.quarter}季度`,
    `截止时间：${formatDeadline(p.deadline)}`,
  ];
  if (p.lagging.length > 0) {
    lines.push('尚未完成的单位：');
    for (const u of p.lagging) lines.push(`  - ${u.unitName}：${OWED_ZH[u.owes] ?? u.owes}`);
  }
  lines.push(`查看详情：${taskQuarterLink(publicUrl, item.taskQuarterId)}`);
  return lines.join('\n');
}

/** The zh-CN e-mail for one notice, or the digest of several of the same kind. */
export function composeMessage(
  kind: string,
  items: readonly MessageItem[],
  publicUrl: string,
): ComposedMessage {
  const label = KIND_ZH[kind] ?? kind;
  const sorted = [...items].sort((a, b) =>
    a.payload.taskCode.localeCompare(b.payload.taskCode, 'en', { numeric: true }),
  );
  if (sorted.length === 1) {
    return {
      subject: sorted[0].payload.title,
      text: `${describe(sorted[0], publicUrl)}\n\n——区督查室督办系统`,
    };
  }
  const subject = `【${label}】${sorted.length}项督办事项汇总`;
  const text = [
    `以下${sorted.length}项督办事项同时发出${label}通知：`,
    ...sorted.map((item, i) => `\n${i + 1}. ${describe(item, publicUrl)}`),
    '\n——区督查室督办系统',
  ].join('\n');
  return { subject, text };
}
