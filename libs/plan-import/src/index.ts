export { parsePlanDocument, targetForQuarter } from './parse';
export { PlanParseError } from './errors';
export { decodePlanText } from './decode';
export {
  CLOSING_NOTE,
  COLLECTIVE_UNITS,
  TABLE_HEADER,
  isCollectiveUnit,
  type ParsedCategory,
  type ParsedItem,
  type ParsedPlan,
  type ParsedTarget,
  type ParsedTask,
  type Quarter,
} from './types';
