import { ForbiddenException } from '@nestjs/common';
import type { Role } from '@duban/contracts';
import { contextFor, reflector } from './auth.spec-helpers';
import type { AuthenticatedUser, RequestWithUser } from './authenticated-user';
import { Public, Roles } from './decorators';
import { RolesGuard } from './roles.guard';

class Routes {
  @Roles('office')
  review(this: void): void {}

  @Roles('staff', 'head')
  unitWork(this: void): void {}

  read(this: void): void {}

  @Public()
  open(this: void): void {}
}

@Roles('auditor')
class AuditRoutes {
  history(this: void): void {}
}

const userWith = (role: Role): AuthenticatedUser => ({
  id: 'u',
  username: 'u',
  name: 'u',
  role,
  unitCode: null,
  tokenId: 't',
  expiresAt: 0,
});

describe('RolesGuard', () => {
  const guard = new RolesGuard(reflector);
  const allowed = (
    role: Role | null,
    handler: (...args: never[]) => unknown,
    controller: new () => object = Routes,
  ): boolean => {
    const request: RequestWithUser = { headers: {}, ...(role ? { user: userWith(role) } : {}) };
    try {
      return guard.canActivate(contextFor(request, controller, handler));
    } catch (error) {
      if (error instanceof ForbiddenException) return false;
      throw error;
    }
  };

  it('admits only the listed roles', () => {
    expect(allowed('office', Routes.prototype.review)).toBe(true);
    for (const role of ['staff', 'head', 'leader', 'auditor', 'admin'] as const) {
      expect(allowed(role, Routes.prototype.review)).toBe(false);
    }
    expect(allowed('staff', Routes.prototype.unitWork)).toBe(true);
    expect(allowed('head', Routes.prototype.unitWork)).toBe(true);
    expect(allowed('auditor', Routes.prototype.unitWork)).toBe(false);
  });

  it('honours roles set on the controller class', () => {
    expect(allowed('auditor', AuditRoutes.prototype.history, AuditRoutes)).toBe(true);
    expect(allowed('office', AuditRoutes.prototype.history, AuditRoutes)).toBe(false);
  });

  it('lets every signed-in role read routes without @Roles, and anyone through public ones', () => {
    expect(allowed('leader', Routes.prototype.read)).toBe(true);
    expect(allowed(null, Routes.prototype.open)).toBe(true);
  });

  it('refuses a restricted route when no user was attached', () => {
    expect(allowed(null, Routes.prototype.review)).toBe(false);
  });
});
