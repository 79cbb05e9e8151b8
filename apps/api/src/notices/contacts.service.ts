import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type {
  UserContactListItemDto,
  UserContactListQueryDto,
  UserContactPageDto,
} from './dto/contacts-users.dto';
import type {
  UnitContactDto,
  UpdateUnitContactDto,
  UpdateUserContactDto,
  UserContactDto,
} from './dto/notices.dto';

/**
 * Contact details and channel choices the dispatcher uses: a unit's e-mail (on `unit`) and
 * webhook (`unit_contact`); a user's own e-mail (on `app_user`), webhook and channel switches
 * (`notification_preference`). A user's own details win over the unit's.
 */
@Injectable()
export class ContactsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async units(): Promise<UnitContactDto[]> {
    return this.unitContacts('', []);
  }

  async unit(code: string): Promise<UnitContactDto> {
    const [contact] = await this.unitContacts('WHERE u.code = $1', [code]);
    if (!contact) throw new NotFoundException('没有这个单位');
    return contact;
  }

  private async unitContacts(where: string, params: unknown[]): Promise<UnitContactDto[]> {
    const rows: Array<{
      code: string;
      name: string;
      email: string | null;
      webhook_url: string | null;
    }> = await this.dataSource.query(
      `SELECT u.code, u.name, u.email, c.webhook_url FROM unit u
         LEFT JOIN unit_contact c ON c.unit_code = u.code ${where} ORDER BY u.code`,
      params,
    );
    return rows.map((r) => ({
      code: r.code,
      name: r.name,
      email: r.email,
      webhookUrl: r.webhook_url,
    }));
  }

  async updateUnit(code: string, body: UpdateUnitContactDto): Promise<UnitContactDto> {
    await this.unit(code);
    await this.dataSource.transaction(async (tx) => {
      if (body.email !== undefined) {
        await tx.query('UPDATE unit SET email = $2 WHERE code = $1', [code, body.email]);
      }
      if (body.webhookUrl !== undefined) {
        await tx.query(
          `INSERT INTO unit_contact (unit_code, webhook_url) VALUES ($1, $2)
           ON CONFLICT (unit_code) DO UPDATE SET webhook_url = EXCLUDED.webhook_url`,
          [code, body.webhookUrl],
        );
      }
    });
    return this.unit(code);
  }

  /** The users whose contacts the office may edit, by unit and role, a page at a time. */
  async users(query: UserContactListQueryDto): Promise<UserContactPageDto> {
    const params = [query.unitCode ?? null, query.role ?? null];
    const filter =
      'WHERE ($1::text IS NULL OR u.unit_code = $1) AND ($2::text IS NULL OR u.role = $2)';
    const [{ total }]: Array<{ total: number }> = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM app_user u ${filter}`,
      params,
    );
    const items = await this.userContacts(
      `${filter} ORDER BY u.unit_code NULLS FIRST, u.role, u.username LIMIT $3 OFFSET $4`,
      [...params, query.pageSize, (query.page - 1) * query.pageSize],
    );
    return { items, total, page: query.page, pageSize: query.pageSize };
  }

  async user(id: string): Promise<UserContactDto> {
    const [contact] = await this.userContacts('WHERE u.id = $1', [id]);
    if (!contact) throw new NotFoundException('没有这个用户');
    const { name: _name, active: _active, ...userContact } = contact;
    return userContact;
  }

  /** Users with their own contact details and channel switches (both on unless switched off). */
  private async userContacts(
    whereAndOrder: string,
    params: unknown[],
  ): Promise<UserContactListItemDto[]> {
    const rows: Array<{
      id: string;
      username: string;
      display_name: string;
      role: string;
      unit_code: string | null;
      email: string | null;
      active: boolean;
      webhook_url: string | null;
      email_enabled: boolean | null;
      webhook_enabled: boolean | null;
    }> = await this.dataSource.query(
      `SELECT u.id, u.username, u.display_name, u.role, u.unit_code, u.email, u.active,
              p.webhook_url, p.email_enabled, p.webhook_enabled
       FROM app_user u LEFT JOIN notification_preference p ON p.user_id = u.id ${whereAndOrder}`,
      params,
    );
    return rows.map((r) => ({
      id: r.id,
      username: r.username,
      name: r.display_name,
      role: r.role,
      unitCode: r.unit_code,
      email: r.email,
      webhookUrl: r.webhook_url,
      emailEnabled: r.email_enabled ?? true,
      webhookEnabled: r.webhook_enabled ?? true,
      active: r.active,
    }));
  }

  async updateUser(id: string, body: UpdateUserContactDto): Promise<UserContactDto> {
    const current = await this.user(id);
    await this.dataSource.transaction(async (tx) => {
      if (body.email !== undefined) {
        await tx.query('UPDATE app_user SET email = $2 WHERE id = $1', [id, body.email]);
      }
      await tx.query(
        `INSERT INTO notification_preference (user_id, email_enabled, webhook_enabled, webhook_url)
         VALUES ($1, $2, $3, $4)
         ON CONFLICT (user_id) DO UPDATE SET email_enabled = EXCLUDED.email_enabled,
           webhook_enabled = EXCLUDED.webhook_enabled, webhook_url = EXCLUDED.webhook_url`,
        [
          id,
          body.emailEnabled ?? current.emailEnabled,
          body.webhookEnabled ?? current.webhookEnabled,
          body.webhookUrl === undefined ? current.webhookUrl : body.webhookUrl,
        ],
      );
    });
    return this.user(id);
  }
}
