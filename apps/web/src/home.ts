import type { Role } from './api/types';

/** Where each role starts: the page with what it must act on. */
export function homeFor(role: Role): string {
  switch (role) {
    case 'leader':
      return '/escalations';
    case 'auditor':
      return '/audit';
    case 'admin':
      return '/dashboard';
    default:
      return '/inbox';
  }
}
