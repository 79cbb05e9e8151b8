import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/decorators';
import { PaginationQueryDto } from '../plans/dto/pagination.dto';
import { InboxPageDto } from './dto/inbox.dto';
import { InboxService } from './inbox.service';

@ApiTags('inbox')
@ApiBearerAuth()
@Controller('inbox')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get()
  @ApiOperation({
    summary:
      'What the caller must act on: staff — reports their unit owes; heads — reports awaiting them; office — awaiting review and overdue; leader — open escalations',
  })
  @ApiOkResponse({ type: InboxPageDto })
  list(
    @CurrentUser() user: AuthenticatedUser,
    @Query() query: PaginationQueryDto,
  ): Promise<InboxPageDto> {
    return this.inbox.inbox(user, query.page, query.pageSize);
  }
}
