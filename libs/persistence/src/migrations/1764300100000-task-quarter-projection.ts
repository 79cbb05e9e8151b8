import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** The Postgres projection of task-quarter workflows, written by the worker's activities. */
export class TaskQuarterProjection1764300100000 implements MigrationInterface {
  name = 'TaskQuarterProjection1764300100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "task_quarter" ("id" character varying(128) NOT NULL, "plan_id" character varying(64) NOT NULL, "task_code" character varying(16) NOT NULL, "quarter" integer NOT NULL, "phase" character varying(32) NOT NULL, "lamp" character varying(16) NOT NULL, "deadline" TIMESTAMP WITH TIME ZONE NOT NULL, "opens_at" TIMESTAMP WITH TIME ZONE NOT NULL, "escalation_level" integer NOT NULL DEFAULT '0', "unit_codes" character varying array NOT NULL, "target_text" text, "closed_at" TIMESTAMP WITH TIME ZONE, "seq" integer NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_8d67cc8b601e4df45d8c80b20c4" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_cc40bdc79543f2e59fc698740a" ON "task_quarter" ("plan_id", "quarter")`,
    );
    await queryRunner.query(
      `CREATE TABLE "task_quarter_unit" ("task_quarter_id" character varying(128) NOT NULL, "unit_code" character varying(64) NOT NULL, "unit_name" character varying(128) NOT NULL, "lead" boolean NOT NULL, "status" character varying(32) NOT NULL, "latest_version" integer NOT NULL DEFAULT '0', "waiting_since" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_976838fc507407e369916736aaf" PRIMARY KEY ("task_quarter_id", "unit_code"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_9f605a15edc3caf33c4e2a0560" ON "task_quarter_unit" ("unit_code", "status")`,
    );
    await queryRunner.query(
      `CREATE TABLE "report_version" ("task_quarter_id" character varying(128) NOT NULL, "unit_code" character varying(64) NOT NULL, "version" integer NOT NULL, "status" character varying(16) NOT NULL, "summary" text NOT NULL, "explanation" text, "figures" jsonb, "submitted_by" jsonb NOT NULL, "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_1e48961b3db15ee8a841a85a797" PRIMARY KEY ("task_quarter_id", "unit_code", "version"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "decision" ("task_quarter_id" character varying(128) NOT NULL, "seq" integer NOT NULL, "level" character varying(8) NOT NULL, "decision" character varying(8) NOT NULL, "comment" text NOT NULL, "unit_codes" character varying array NOT NULL, "actor" jsonb NOT NULL, "decided_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_67ccd4334b589d90379443d8ff4" PRIMARY KEY ("task_quarter_id", "seq"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "deadline_change" ("task_quarter_id" character varying(128) NOT NULL, "seq" integer NOT NULL, "from_deadline" TIMESTAMP WITH TIME ZONE NOT NULL, "to_deadline" TIMESTAMP WITH TIME ZONE NOT NULL, "reason" text NOT NULL, "actor" jsonb NOT NULL, "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_f22bcc31b37039be9f574acde6f" PRIMARY KEY ("task_quarter_id", "seq"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "notice" ("key" character varying(256) NOT NULL, "task_quarter_id" character varying(128) NOT NULL, "kind" character varying(32) NOT NULL, "recipients" jsonb NOT NULL, "lagging" jsonb NOT NULL, "title" character varying(256) NOT NULL, "body" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_43898a6214ce37d47986055113d" PRIMARY KEY ("key"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_d544f9b614ff9903b3071e5f0e" ON "notice" ("task_quarter_id")`,
    );
    await queryRunner.query(
      `CREATE TABLE "audit_event" ("task_quarter_id" character varying(128) NOT NULL, "seq" integer NOT NULL, "type" character varying(48) NOT NULL, "actor" jsonb, "detail" jsonb NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_c38ac44375231bf9c19ffe837fa" PRIMARY KEY ("task_quarter_id", "seq"))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_event"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_d544f9b614ff9903b3071e5f0e"`);
    await queryRunner.query(`DROP TABLE "notice"`);
    await queryRunner.query(`DROP TABLE "deadline_change"`);
    await queryRunner.query(`DROP TABLE "decision"`);
    await queryRunner.query(`DROP TABLE "report_version"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9f605a15edc3caf33c4e2a0560"`);
    await queryRunner.query(`DROP TABLE "task_quarter_unit"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_cc40bdc79543f2e59fc698740a"`);
    await queryRunner.query(`DROP TABLE "task_quarter"`);
  }
}
