import { Module } from '@nestjs/common';
import { ContactsController } from './contacts.controller';
import { ContactsService } from './contacts.service';
import { DeliveriesService } from './deliveries.service';
import { NoticesController } from './notices.controller';
import { NoticesService } from './notices.service';

@Module({
  controllers: [NoticesController, ContactsController],
  providers: [NoticesService, DeliveriesService, ContactsService],
})
export class NoticesModule {}
