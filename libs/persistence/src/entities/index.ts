import { CollectiveMemberEntity, UnitEntity, UserEntity } from './organisation.entity';
import {
  CategoryEntity,
  PlanEntity,
  QuarterlyTargetEntity,
  TaskEntity,
  TaskResponsibilityEntity,
} from './plan.entity';
import { HistoryArchiveEntity } from './history-archive.entity';
import { LoginFailureEntity } from './login-failure.entity';
import { RevokedTokenEntity } from './revoked-token.entity';
import {
  NotificationDeliveryEntity,
  NotificationPreferenceEntity,
  UnitContactEntity,
} from './notification.entity';
import {
  AuditEventEntity,
  DeadlineChangeEntity,
  DecisionEntity,
  NoticeEntity,
  ReportVersionEntity,
  TaskQuarterEntity,
  TaskQuarterUnitEntity,
} from './projection.entity';

export * from './organisation.entity';
export * from './plan.entity';
export * from './projection.entity';
export * from './history-archive.entity';
export * from './revoked-token.entity';
export * from './login-failure.entity';
export * from './notification.entity';

export const ENTITIES = [
  UnitEntity,
  CollectiveMemberEntity,
  UserEntity,
  PlanEntity,
  CategoryEntity,
  TaskEntity,
  TaskResponsibilityEntity,
  QuarterlyTargetEntity,
  TaskQuarterEntity,
  TaskQuarterUnitEntity,
  ReportVersionEntity,
  DecisionEntity,
  DeadlineChangeEntity,
  NoticeEntity,
  AuditEventEntity,
  HistoryArchiveEntity,
  RevokedTokenEntity,
  LoginFailureEntity,
  NotificationDeliveryEntity,
  NotificationPreferenceEntity,
  UnitContactEntity,
];
