import { Module } from '@nestjs/common';
import { AuditModule } from '@duban/audit';
import { AuditController } from './audit.controller';

/** `/api/audit/…` for auditors and the office. */
@Module({
  imports: [AuditModule],
  controllers: [AuditController],
})
export class AuditApiModule {}
