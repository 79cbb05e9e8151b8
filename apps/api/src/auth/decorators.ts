import {
  applyDecorators,
  createParamDecorator,
  SetMetadata,
  UnauthorizedException,
  type ExecutionContext,
} from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';
import type { Role } from '@duban/contracts';
import type { AuthenticatedUser, RequestWithUser } from './authenticated-user';

export const IS_PUBLIC = 'duban:isPublic';
export const ROLES_KEY = 'duban:roles';

/** Marks public operations in the OpenAPI document, so the others can be documented as guarded. */
export const PUBLIC_EXTENSION = 'x-duban-public';

/** Opens a route to callers without a token (login, health, docs). */
export const Public = (): MethodDecorator & ClassDecorator =>
  applyDecorators(SetMetadata(IS_PUBLIC, true), ApiExtension(PUBLIC_EXTENSION, true));

/** Restricts a route to the listed roles; routes without it are open to every signed-in user. */
export const Roles = (...roles: Role[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);

/** The signed-in user of the request (the global guard has verified the token). */
export const CurrentUser = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthenticatedUser => {
    const request = context.switchToHttp().getRequest<RequestWithUser>();
    if (!request.user) throw new UnauthorizedException('需要登录');
    return request.user;
  },
);
