import { Module } from '@nestjs/common';
import { OrganisationModule } from '@duban/organisation';
import { UnitsController } from './units.controller';

@Module({ imports: [OrganisationModule], controllers: [UnitsController] })
export class UnitsModule {}
