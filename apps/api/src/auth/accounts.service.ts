import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { UserEntity } from '@duban/persistence';

export interface Account {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  role: UserEntity['role'];
  unitCode: string | null;
  active: boolean;
}

/** Reads accounts; the auth service never touches TypeORM itself so it can be tested alone. */
@Injectable()
export class AccountsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  findByUsername(username: string): Promise<Account | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ username });
  }

  findById(id: string): Promise<Account | null> {
    return this.dataSource.getRepository(UserEntity).findOneBy({ id });
  }
}
