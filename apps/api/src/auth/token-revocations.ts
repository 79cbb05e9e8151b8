import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan, MoreThan } from 'typeorm';
import { RevokedTokenEntity } from '@duban/persistence';

/** Tokens revoked by logout, remembered until they would have expired anyway. */
export abstract class TokenRevocations {
  abstract revoke(tokenId: string, expiresAtSeconds: number): Promise<void>;
  abstract isRevoked(tokenId: string): Promise<boolean>;
}

/**
 * Kept in Postgres, so a logout holds across API restarts and on every replica: each request
 * costs one primary-key lookup. Expired entries are pruned as new ones are written.
 */
@Injectable()
export class DatabaseTokenRevocations extends TokenRevocations {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async revoke(tokenId: string, expiresAtSeconds: number): Promise<void> {
    const repository = this.dataSource.getRepository(RevokedTokenEntity);
    await repository.delete({ expiresAt: LessThan(new Date()) });
    await repository.upsert({ jti: tokenId, expiresAt: new Date(expiresAtSeconds * 1000) }, [
      'jti',
    ]);
  }

  isRevoked(tokenId: string): Promise<boolean> {
    return this.dataSource
      .getRepository(RevokedTokenEntity)
      .existsBy({ jti: tokenId, expiresAt: MoreThan(new Date()) });
  }
}

/** For unit specs: the same contract in memory. */
export class MemoryTokenRevocations extends TokenRevocations {
  private readonly revoked = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {
    super();
  }

  revoke(tokenId: string, expiresAtSeconds: number): Promise<void> {
    this.revoked.set(tokenId, expiresAtSeconds * 1000);
    return Promise.resolve();
  }

  isRevoked(tokenId: string): Promise<boolean> {
    const until = this.revoked.get(tokenId);
    return Promise.resolve(until !== undefined && until > this.now());
  }
}
