export const PLANS_OPTIONS = Symbol('PLANS_OPTIONS');

export interface PlansOptions {
  /** District code used in plan ids, e.g. `jianghai` → `2017-jianghai`. */
  districtCode: string;
}
