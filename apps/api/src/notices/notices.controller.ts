import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/decorators';
import { NoticeListQueryDto, NoticePageDto } from './dto/notices.dto';
import { NoticesService } from './notices.service';

@ApiTags('notices')
@ApiBearerAuth()
@Controller('notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Get()
  @ApiOperation({
    summary: "The caller's warnings, overdue notices, escalations and reminders, newest first",
  })
  @ApiOkResponse({ type: NoticePageDto })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: NoticeListQueryDto,
  ): Promise<NoticePageDto> {
    return this.notices.list(user, query);
  }
}
