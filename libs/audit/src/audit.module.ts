import { Module } from '@nestjs/common';
import { AuditService } from './audit.service';
import { HistoryArchiveService } from './history-archive.service';

/**
 * Auditing of task-quarters. Needs the global TypeORM DataSource (DatabaseModule) and
 * TemporalClientModule, which every Duban process already imports.
 */
@Module({
  providers: [AuditService, HistoryArchiveService],
  exports: [AuditService, HistoryArchiveService],
})
export class AuditModule {}
