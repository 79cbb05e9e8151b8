import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Archived workflow histories of closed task-quarters, so replay outlives namespace retention. */
export class HistoryArchive1764400600000 implements MigrationInterface {
  name = 'HistoryArchive1764400600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "history_archive" ("workflow_id" character varying(128) NOT NULL, "run_id" character varying(64) NOT NULL, "run_index" integer NOT NULL, "plan_id" character varying(64) NOT NULL, "history" text NOT NULL, "sha256" character varying(64) NOT NULL, "event_count" integer NOT NULL, "closed_at" TIMESTAMP WITH TIME ZONE, "archived_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_3bf56c08772c81cecb04c4e8de8" PRIMARY KEY ("workflow_id", "run_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_8a0e2ad621499be200e65983af" ON "history_archive" ("plan_id")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_8a0e2ad621499be200e65983af"`);
    await queryRunner.query(`DROP TABLE "history_archive"`);
  }
}
