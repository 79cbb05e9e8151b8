import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Logged-out access tokens, so a logout holds across restarts and API replicas. */
export class RevokedToken1764600000000 implements MigrationInterface {
  name = 'RevokedToken1764600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "revoked_token" ("jti" character varying(64) NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_51805a32c382d2841b953c16880" PRIMARY KEY ("jti"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_185b58c08c48bb8d35a086bafd" ON "revoked_token" ("expires_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_185b58c08c48bb8d35a086bafd"`);
    await queryRunner.query(`DROP TABLE "revoked_token"`);
  }
}
