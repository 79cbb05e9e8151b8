import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An access token revoked by logout; kept until its own expiry. */
@Entity({ name: 'revoked_token' })
export class RevokedTokenEntity {
  /** The token's `jti` claim. */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  jti!: string;

  @Index()
  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
