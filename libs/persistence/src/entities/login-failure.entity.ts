import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One failed (or still undecided) login, counted against an account or a client address. In
 * Postgres so that every API replica enforces the same limit.
 */
@Entity({ name: 'login_failure' })
@Index(['key', 'at'])
export class LoginFailureEntity {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  /** `account:<username, lower case>` or `address:<ip>`. */
  @Column({ type: 'varchar', length: 200 })
  key!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;
}
