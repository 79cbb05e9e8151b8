import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
} from 'typeorm';

export type UnitKind = 'department' | 'street_office' | 'supervision_office' | 'collective';
export type Role = 'staff' | 'head' | 'office' | 'leader' | 'auditor' | 'admin';
export const ROLES: readonly Role[] = ['staff', 'head', 'office', 'leader', 'auditor', 'admin'];

/** A unit of the district: a department, a street office, the supervision office, or a collective. */
@Entity({ name: 'unit' })
export class UnitEntity {
  /** Stable ASCII code used in URLs and account names (`zjsw` → `zjsw.staff`). */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  code!: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 128 })
  name!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: UnitKind;

  @Column({ type: 'varchar', length: 256, nullable: true })
  email!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** Membership of a collective unit (各街道办事处 → every street office). */
@Entity({ name: 'collective_member' })
export class CollectiveMemberEntity {
  @PrimaryColumn({ name: 'collective_code', type: 'varchar', length: 64 })
  collectiveCode!: string;

  @PrimaryColumn({ name: 'member_code', type: 'varchar', length: 64 })
  memberCode!: string;

  @ManyToOne(() => UnitEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'collective_code' })
  collective?: UnitEntity;

  @ManyToOne(() => UnitEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'member_code' })
  member?: UnitEntity;
}

@Entity({ name: 'app_user' })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Index({ unique: true })
  @Column({ type: 'varchar', length: 64 })
  username!: string;

  @Column({ name: 'display_name', type: 'varchar', length: 128 })
  displayName!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 128 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 16 })
  role!: Role;

  /** Staff and heads belong to exactly one unit; other roles to none. */
  @Column({ name: 'unit_code', type: 'varchar', length: 64, nullable: true })
  unitCode!: string | null;

  @ManyToOne(() => UnitEntity, { nullable: true })
  @JoinColumn({ name: 'unit_code' })
  unit?: UnitEntity | null;

  @Column({ type: 'varchar', length: 256, nullable: true })
  email!: string | null;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
