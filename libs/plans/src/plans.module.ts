import { Module, type DynamicModule } from '@nestjs/common';
import { OrganisationModule } from '@duban/organisation';
import { PlanActivationService } from './plan-activation.service';
import { PlanImportService } from './plan-import.service';
import { PlanQueryService } from './plan-query.service';
import { PLANS_OPTIONS, type PlansOptions } from './plans.options';

@Module({})
export class PlansModule {
  static forRoot(options: PlansOptions): DynamicModule {
    return {
      module: PlansModule,
      imports: [OrganisationModule],
      providers: [
        { provide: PLANS_OPTIONS, useValue: options },
        PlanImportService,
        PlanQueryService,
        PlanActivationService,
      ],
      exports: [PlanImportService, PlanQueryService, PlanActivationService],
    };
  }
}
