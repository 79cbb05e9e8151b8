import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser, Roles } from '../auth/decorators';
import { DeliveriesService } from './deliveries.service';
import {
  DeliveryDto,
  DeliveryListQueryDto,
  DeliveryPageDto,
  NoticeInboxPageDto,
  NoticeListQueryDto,
  NoticeReadDto,
} from './dto/notices.dto';
import { NoticesService } from './notices.service';

@ApiTags('notices')
@ApiBearerAuth()
@Controller('notices')
export class NoticesController {
  constructor(
    private readonly notices: NoticesService,
    private readonly deliveries: DeliveriesService,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The caller's warnings, overdue notices, escalations and reminders, unread first",
  })
  @ApiOkResponse({ type: NoticeInboxPageDto })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: NoticeListQueryDto,
  ): Promise<NoticeInboxPageDto> {
    return this.notices.list(user, query);
  }

  @Get('deliveries')
  @Roles('office', 'admin')
  @ApiOperation({ summary: 'Every delivery (in-app, e-mail, webhook) with its state' })
  @ApiOkResponse({ type: DeliveryPageDto })
  deliveryList(@Query() query: DeliveryListQueryDto): Promise<DeliveryPageDto> {
    return this.deliveries.list(query);
  }

  @Post('deliveries/:id/resend')
  @HttpCode(200)
  @Roles('office', 'admin')
  @ApiOperation({ summary: 'Queue an e-mail or webhook delivery again, to the current address' })
  @ApiOkResponse({ type: DeliveryDto })
  resend(@Param('id', ParseUUIDPipe) id: string): Promise<DeliveryDto> {
    return this.deliveries.resend(id);
  }

  @Post(':key/read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark one of the caller’s notices read' })
  @ApiOkResponse({ type: NoticeReadDto })
  markRead(
    @CurrentUser() user: AuthenticatedUser,
    @Param('key') key: string,
  ): Promise<NoticeReadDto> {
    return this.notices.markRead(user, key);
  }
}
