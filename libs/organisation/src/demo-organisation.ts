import type { UnitKind } from '@duban/persistence';

export interface OrganisationUnit {
  code: string;
  name: string;
  kind: UnitKind;
}

/** The supervision office reviews every task-quarter. */
export const SUPERVISION_OFFICE_CODE = 'supervision';

/**
 * The district organisation the 2017 Jianghai notice names (23 unit names as written, of which
 * 各街道办事处 is a collective), plus the supervision office. Codes are stable ASCII: they appear
 * in URLs, workflow state and account names (`housing-water.staff`).
 */
export const DEMO_UNITS: readonly OrganisationUnit[] = [
  { code: 'social-affairs', name: '社会事务局', kind: 'department' },
  { code: 'finance', name: '财政局', kind: 'department' },
  { code: 'education', name: '教育局', kind: 'department' },
  { code: 'housing-water', name: '住建水务局', kind: 'department' },
  { code: 'health', name: '卫生计生局', kind: 'department' },
  { code: 'politics-law', name: '政法委', kind: 'department' },
  { code: 'disabled-federation', name: '残联', kind: 'department' },
  { code: 'women-federation', name: '妇联', kind: 'department' },
  { code: 'culture-sports', name: '文化广电体育局', kind: 'department' },
  { code: 'youth-league', name: '团区委', kind: 'department' },
  { code: 'poverty-relief', name: '扶贫办', kind: 'department' },
  { code: 'charity', name: '慈善会', kind: 'department' },
  { code: 'trade-union', name: '总工会', kind: 'department' },
  { code: 'land-environment', name: '国土环保局', kind: 'department' },
  { code: 'planning', name: '规划分局', kind: 'department' },
  { code: 'organisation-dept', name: '组织部', kind: 'department' },
  { code: 'development-statistics', name: '发改统计局', kind: 'department' },
  { code: 'public-security', name: '公安分局', kind: 'department' },
  { code: 'governance-office', name: '综治办', kind: 'department' },
  { code: 'waihai', name: '外海街道办事处', kind: 'street_office' },
  { code: 'lile', name: '礼乐街道办事处', kind: 'street_office' },
  { code: 'jiangnan', name: '江南街道办事处', kind: 'street_office' },
  { code: 'street-offices', name: '各街道办事处', kind: 'collective' },
  { code: SUPERVISION_OFFICE_CODE, name: '区督查室', kind: 'supervision_office' },
];

export const DEMO_COLLECTIVES: Readonly<Record<string, readonly string[]>> = {
  'street-offices': ['waihai', 'lile', 'jiangnan'],
};

export interface DemoAccount {
  username: string;
  displayName: string;
  role: 'staff' | 'head' | 'office' | 'leader' | 'auditor' | 'admin';
  unitCode: string | null;
}

/** `<unitCode>.staff` and `<unitCode>.head` for every reporting unit, plus the district roles. */
export function demoAccounts(): DemoAccount[] {
  const reporting = DEMO_UNITS.filter((u) => u.kind === 'department' || u.kind === 'street_office');
  return [
    ...reporting.flatMap((u): DemoAccount[] => [
      {
        username: `${u.code}.staff`,
        displayName: `${u.name}经办人`,
        role: 'staff',
        unitCode: u.code,
      },
      {
        username: `${u.code}.head`,
        displayName: `${u.name}负责人`,
        role: 'head',
        unitCode: u.code,
      },
    ]),
    {
      username: 'office',
      displayName: '区督查室',
      role: 'office',
      unitCode: SUPERVISION_OFFICE_CODE,
    },
    { username: 'leader', displayName: '区领导', role: 'leader', unitCode: null },
    { username: 'auditor', displayName: '审计员', role: 'auditor', unitCode: null },
    { username: 'admin', displayName: '系统管理员', role: 'admin', unitCode: null },
  ];
}
