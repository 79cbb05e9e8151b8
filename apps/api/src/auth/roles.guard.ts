import {
  ForbiddenException,
  Injectable,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '@duban/contracts';
import type { RequestWithUser } from './authenticated-user';
import { IS_PUBLIC, ROLES_KEY } from './decorators';

/** Runs after {@link JwtAuthGuard}: a route with `@Roles(...)` admits only those roles. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (!roles || roles.length === 0) return true;
    const user = context.switchToHttp().getRequest<RequestWithUser>().user;
    if (!user || !roles.includes(user.role)) {
      throw new ForbiddenException(`此操作仅限以下角色：${roles.join(', ')}`);
    }
    return true;
  }
}
