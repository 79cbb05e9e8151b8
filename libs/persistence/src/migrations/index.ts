import { OrganisationAndPlans1764300000000 } from './1764300000000-organisation-and-plans';
import { TaskQuarterProjection1764300100000 } from './1764300100000-task-quarter-projection';
import { HistoryArchive1764400600000 } from './1764400600000-history-archive';
import { NotificationOutbox1764500000000 } from './1764500000000-notification-outbox';
import { RevokedToken1764600000000 } from './1764600000000-revoked-token';
import { LoginFailure1764700000000 } from './1764700000000-login-failure';

/** In order; each has a real `down`. */
export const MIGRATIONS = [
  OrganisationAndPlans1764300000000,
  TaskQuarterProjection1764300100000,
  HistoryArchive1764400600000,
  NotificationOutbox1764500000000,
  RevokedToken1764600000000,
  LoginFailure1764700000000,
];
