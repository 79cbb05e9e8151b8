import { Body, Controller, Get, Param, ParseUUIDPipe, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/decorators';
import { ContactsService } from './contacts.service';
import { UserContactListQueryDto, UserContactPageDto } from './dto/contacts-users.dto';
import {
  UnitContactDto,
  UpdateUnitContactDto,
  UpdateUserContactDto,
  UserContactDto,
} from './dto/notices.dto';

@ApiTags('contacts')
@ApiBearerAuth()
@Roles('office', 'admin')
@Controller('contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Get('units')
  @ApiOperation({ summary: "Every unit's e-mail and webhook for notices" })
  @ApiOkResponse({ type: [UnitContactDto] })
  units(): Promise<UnitContactDto[]> {
    return this.contacts.units();
  }

  @Get('units/:code')
  @ApiOperation({ summary: "A unit's e-mail and webhook for notices" })
  @ApiOkResponse({ type: UnitContactDto })
  unit(@Param('code') code: string): Promise<UnitContactDto> {
    return this.contacts.unit(code);
  }

  @Put('units/:code')
  @ApiOperation({ summary: "Change a unit's e-mail or webhook (null clears)" })
  @ApiOkResponse({ type: UnitContactDto })
  updateUnit(
    @Param('code') code: string,
    @Body() body: UpdateUnitContactDto,
  ): Promise<UnitContactDto> {
    return this.contacts.updateUnit(code, body);
  }

  @Get('users')
  @ApiOperation({
    summary: 'Users with their e-mail, webhook and channel choices (filter by unit or role)',
  })
  @ApiOkResponse({ type: UserContactPageDto })
  users(@Query() query: UserContactListQueryDto): Promise<UserContactPageDto> {
    return this.contacts.users(query);
  }

  @Get('users/:id')
  @ApiOperation({ summary: "A user's e-mail, webhook and channel choices" })
  @ApiOkResponse({ type: UserContactDto })
  user(@Param('id', ParseUUIDPipe) id: string): Promise<UserContactDto> {
    return this.contacts.user(id);
  }

  @Put('users/:id')
  @ApiOperation({ summary: "Change a user's e-mail, webhook or channel choices" })
  @ApiOkResponse({ type: UserContactDto })
  updateUser(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: UpdateUserContactDto,
  ): Promise<UserContactDto> {
    return this.contacts.updateUser(id, body);
  }
}
