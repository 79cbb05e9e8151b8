// Writes a synthetic plan notice in the seed's format (see infra/seed/…txt and DESIGN.md §1): one
// task per item, 5 responsible units each (drawn from the demo organisation's 22 reporting units),
// a target only in `quarter` (`/` elsewhere), so activating from that quarter starts exactly
// `tasks` task-quarters that are open for reporting now.

/** The demo organisation's reporting units as written in a notice (libs/organisation). */
export const REPORTING_UNITS = [
  '社会事务局',
  '财政局',
  '教育局',
  '住建水务局',
  '卫生计生局',
  '政法委',
  '残联',
  '妇联',
  '文化广电体育局',
  '团区委',
  '扶贫办',
  '慈善会',
  '总工会',
  '国土环保局',
  '规划分局',
  '组织部',
  '发改统计局',
  '公安分局',
  '综治办',
  '外海街道办事处',
  '礼乐街道办事处',
  '江南街道办事处',
];

const CATEGORY_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];
const QUARTER_HEADERS = ['一季度目标', '二季度目标', '三季度目标', '四季度目标'];

/**
 * @param {{ tasks: number, unitsPerTask?: number, quarter: 1|2|3|4, year: number, docNumber: number, label: string }} o
 * @returns {string}
 */
export function planNotice({ tasks, unitsPerTask = 5, quarter, year, docNumber, label }) {
  const title = `${year}年江海区${label}压力测试计划`;
  const lines = [
    `江开发〔${year}〕${docNumber}号`,
    '',
    `关于印发${title}的通知`,
    '',
    '各街道办事处，区直各单位：',
    '',
    `《${title}》现印发给你们，请认真组织实施。并请牵头责任单位于每季度的首月1日前以表格形式将完成情况报区督查室。`,
    '',
    `附件：${title}`,
    '                        江门高新技术产业开发区管理委员会',
    '                         江门市江海区人民政府',
    '',
    `                         ${year}年2月28日`,
    '附件',
    '',
    title,
    ...['序号', '事项名称', '事项内容及目标', '责任部门', ...QUARTER_HEADERS].map((c) => `\t${c}`),
    '',
  ];
  const categories = Math.min(10, tasks);
  let item = 0;
  for (let c = 0; c < categories; c++) {
    // Spread the items evenly; the declared count must match exactly.
    const count = Math.floor(tasks / categories) + (c < tasks % categories ? 1 : 0);
    lines.push(`\t（${CATEGORY_NUMERALS[c]}）压力测试类别${c + 1}（共${count}项）`, '');
    for (let i = 0; i < count; i++) {
      item++;
      const units = [];
      for (let u = 0; u < unitsPerTask; u++) {
        units.push(REPORTING_UNITS[(item * 7 + u * 3) % REPORTING_UNITS.length]);
      }
      lines.push(`\t${item}`, `\t压力测试事项${item}`, `\t完成压力测试事项${item}的年度目标。`);
      lines.push(`\t${units[0]}`);
      for (const unit of units.slice(1)) lines.push('', unit);
      for (let q = 1; q <= 4; q++) {
        lines.push(q === quarter ? `\t第${q}季度完成事项${item}的阶段目标。` : '\t/');
      }
      lines.push('');
    }
  }
  lines.push('\t注：标有★的事项是市民生实事内容。', '');
  return lines.join('\n');
}
