import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import * as bcrypt from 'bcryptjs';
import { DomainError } from '@duban/errors';
import { CollectiveMemberEntity, UnitEntity, UserEntity } from '@duban/persistence';
import { DEMO_COLLECTIVES, DEMO_UNITS, demoAccounts } from './demo-organisation';

export interface ResponsibleUnit {
  code: string;
  name: string;
  /** The name as written in the notice; a collective's name for its expanded members. */
  writtenAs: string;
  lead: boolean;
}

const BCRYPT_ROUNDS = 10;

@Injectable()
export class OrganisationService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  listUnits(): Promise<UnitEntity[]> {
    return this.dataSource.getRepository(UnitEntity).find({ order: { code: 'ASC' } });
  }

  /**
   * Turns the units a task names into the units that report: collectives expand to their members
   * (in membership order); the first unit written is the lead unless it is a collective.
   * Unknown names are an error that lists every one of them.
   */
  async resolveResponsibleUnits(writtenNames: readonly string[]): Promise<ResponsibleUnit[]> {
    const units = await this.dataSource.getRepository(UnitEntity).find();
    const byName = new Map(units.map((u) => [u.name, u]));
    const byCode = new Map(units.map((u) => [u.code, u]));
    const unknown = writtenNames.filter((n) => !byName.has(n));
    if (unknown.length > 0) {
      throw new DomainError(
        'UNKNOWN_UNITS',
        `unknown units: ${unknown.join(', ')} (add them to the organisation first)`,
        { unknown },
      );
    }
    const members = await this.dataSource.getRepository(CollectiveMemberEntity).find();
    const result: ResponsibleUnit[] = [];
    writtenNames.forEach((name, index) => {
      const unit = byName.get(name)!;
      if (unit.kind === 'collective') {
        const memberCodes = members
          .filter((m) => m.collectiveCode === unit.code)
          .map((m) => m.memberCode);
        for (const code of memberCodes) {
          const member = byCode.get(code)!;
          if (!result.some((r) => r.code === code)) {
            result.push({ code, name: member.name, writtenAs: name, lead: false });
          }
        }
      } else if (!result.some((r) => r.code === unit.code)) {
        result.push({ code: unit.code, name: unit.name, writtenAs: name, lead: index === 0 });
      }
    });
    return result;
  }

  /** Loads the demo organisation and its accounts; safe to run on every start. */
  async loadDemoOrganisation(
    password: string,
  ): Promise<{ units: number; accountsCreated: number }> {
    return this.dataSource.transaction(async (tx) => {
      await tx.getRepository(UnitEntity).upsert(
        DEMO_UNITS.map((u) => ({ code: u.code, name: u.name, kind: u.kind })),
        ['code'],
      );
      const memberships = Object.entries(DEMO_COLLECTIVES).flatMap(([collectiveCode, codes]) =>
        codes.map((memberCode) => ({ collectiveCode, memberCode })),
      );
      await tx
        .getRepository(CollectiveMemberEntity)
        .upsert(memberships, ['collectiveCode', 'memberCode']);

      const accounts = demoAccounts();
      const existing = await tx
        .getRepository(UserEntity)
        .find({ where: { username: In(accounts.map((a) => a.username)) }, select: ['username'] });
      const have = new Set(existing.map((u) => u.username));
      const missing = accounts.filter((a) => !have.has(a.username));
      if (missing.length > 0) {
        // One hash for every demo account: they share a password by design, and hashing 48 times
        // would add seconds to every start.
        const passwordHash = await bcrypt.hash(password, BCRYPT_ROUNDS);
        await tx.getRepository(UserEntity).insert(
          missing.map((a) => ({
            username: a.username,
            displayName: a.displayName,
            role: a.role,
            unitCode: a.unitCode,
            passwordHash,
            email: null,
          })),
        );
      }
      return { units: DEMO_UNITS.length, accountsCreated: missing.length };
    });
  }
}
