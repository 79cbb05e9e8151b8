import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The notification outbox, users' channel preferences and units' webhooks. */
export class NotificationOutbox1764500000000 implements MigrationInterface {
  name = 'NotificationOutbox1764500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "notification_delivery" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "notice_key" character varying(256) NOT NULL, "task_quarter_id" character varying(128) NOT NULL, "user_id" uuid NOT NULL, "channel" character varying(16) NOT NULL, "kind" character varying(32) NOT NULL, "state" character varying(16) NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "next_attempt_at" TIMESTAMP WITH TIME ZONE NOT NULL, "lease_until" TIMESTAMP WITH TIME ZONE, "claim_token" uuid, "batch_id" uuid, "address" character varying(512), "last_error" text, "payload" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "sent_at" TIMESTAMP WITH TIME ZONE, "read_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "UQ_5d0727075f3f35094cdccab95ab" UNIQUE ("notice_key", "user_id", "channel"), CONSTRAINT "PK_109dea88c25343da49d86de6bfd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_d0ac55d153d86b978bbee263c3" ON "notification_delivery" ("user_id", "channel")`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_587c8a5e7c5c57ee07d515b361" ON "notification_delivery" ("state", "next_attempt_at")`,
    );
    await queryRunner.query(
      `CREATE TABLE "notification_preference" ("user_id" uuid NOT NULL, "email_enabled" boolean NOT NULL DEFAULT true, "webhook_enabled" boolean NOT NULL DEFAULT true, "webhook_url" character varying(512), CONSTRAINT "PK_ff040d2d2e35c49b00525783829" PRIMARY KEY ("user_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "unit_contact" ("unit_code" character varying(64) NOT NULL, "webhook_url" character varying(512), CONSTRAINT "PK_8d8cb190dd2bb5e20b9853f6e0e" PRIMARY KEY ("unit_code"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "unit_contact"`);
    await queryRunner.query(`DROP TABLE "notification_preference"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_587c8a5e7c5c57ee07d515b361"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d0ac55d153d86b978bbee263c3"`);
    await queryRunner.query(`DROP TABLE "notification_delivery"`);
  }
}
