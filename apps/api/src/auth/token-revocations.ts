import { Injectable } from '@nestjs/common';

/**
 * Token ids revoked by logout, kept until the token would have expired anyway. In memory: a
 * restart forgets revocations (tokens are short-lived, `JWT_TTL`), and each API replica keeps its
 * own list. A table would make logout survive restarts; it needs a migration.
 */
@Injectable()
export class TokenRevocations {
  private readonly revoked = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  revoke(tokenId: string, expiresAtSeconds: number): void {
    this.prune();
    this.revoked.set(tokenId, expiresAtSeconds * 1000);
  }

  isRevoked(tokenId: string): boolean {
    const until = this.revoked.get(tokenId);
    return until !== undefined && until > this.now();
  }

  private prune(): void {
    const now = this.now();
    for (const [id, until] of this.revoked) if (until <= now) this.revoked.delete(id);
  }
}
