import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Failed logins, so the per-account and per-address limits hold across API replicas. */
export class LoginFailure1764700000000 implements MigrationInterface {
  name = 'LoginFailure1764700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "login_failure" ("id" BIGSERIAL NOT NULL, "key" character varying(200) NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_5df78140d5d3f4afc249d879cdf" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_b1eaa396e498cf64a6a7f25ae6" ON "login_failure" ("key", "at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_b1eaa396e498cf64a6a7f25ae6"`);
    await queryRunner.query(`DROP TABLE "login_failure"`);
  }
}
