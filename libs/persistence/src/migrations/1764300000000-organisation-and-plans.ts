import { type MigrationInterface, type QueryRunner } from 'typeorm';

/** Units, collectives, users, and the imported plan: categories, tasks, responsibilities, targets. */
export class OrganisationAndPlans1764300000000 implements MigrationInterface {
  name = 'OrganisationAndPlans1764300000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "unit" ("code" character varying(64) NOT NULL, "name" character varying(128) NOT NULL, "kind" character varying(32) NOT NULL, "email" character varying(256), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_dfb75cdb2a790fb84327e1d1b15" PRIMARY KEY ("code"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_5618100486bb99d78de022e582" ON "unit" ("name")`,
    );
    await queryRunner.query(
      `CREATE TABLE "collective_member" ("collective_code" character varying(64) NOT NULL, "member_code" character varying(64) NOT NULL, CONSTRAINT "PK_00f3b5ca2db6508f2a6e9be9cb9" PRIMARY KEY ("collective_code", "member_code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "app_user" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" character varying(64) NOT NULL, "display_name" character varying(128) NOT NULL, "password_hash" character varying(128) NOT NULL, "role" character varying(16) NOT NULL, "unit_code" character varying(64), "email" character varying(256), "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_22a5c4a3d9b2fb8e4e73fc4ada1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_c480e576dd71729addbc2d51b6" ON "app_user" ("username")`,
    );
    await queryRunner.query(
      `CREATE TABLE "plan" ("id" character varying(64) NOT NULL, "doc_number" character varying(64) NOT NULL, "title" character varying(256) NOT NULL, "year" integer NOT NULL, "source_year" integer NOT NULL, "issued_on" date NOT NULL, "report_to" character varying(64) NOT NULL, "issuers" jsonb NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'imported', "ladder" jsonb NOT NULL, "document_sha256" character(64) NOT NULL, "imported_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "activated_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_54a2b686aed3b637654bf7ddbb3" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_86cfd6918011f14a2ecec71513" ON "plan" ("doc_number", "year")`,
    );
    await queryRunner.query(
      `CREATE TABLE "category" ("id" SERIAL NOT NULL, "plan_id" character varying(64) NOT NULL, "number" integer NOT NULL, "title" character varying(128) NOT NULL, "declared_count" integer NOT NULL, CONSTRAINT "PK_9c4e4a89e3674fc9f382d733f03" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_bd3830ccc3dc1f554e24ea2966" ON "category" ("plan_id", "number")`,
    );
    await queryRunner.query(
      `CREATE TABLE "task" ("id" SERIAL NOT NULL, "plan_id" character varying(64) NOT NULL, "code" character varying(16) NOT NULL, "item" integer NOT NULL, "category" integer NOT NULL, "name" character varying(256) NOT NULL, "goal" text NOT NULL, "city_level" boolean NOT NULL, "position" integer NOT NULL, CONSTRAINT "PK_fb213f79ee45060ba925ecd576e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_789f95f26d67de0a7b99dd0161" ON "task" ("plan_id", "code")`,
    );
    await queryRunner.query(
      `CREATE TABLE "task_responsibility" ("task_id" integer NOT NULL, "unit_code" character varying(64) NOT NULL, "role" character varying(8) NOT NULL, "written_as" character varying(128) NOT NULL, "position" integer NOT NULL, CONSTRAINT "PK_b765e521718b6360fc583830220" PRIMARY KEY ("task_id", "unit_code"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "quarterly_target" ("task_id" integer NOT NULL, "quarter" integer NOT NULL, "text" text, "inferred" boolean NOT NULL, "span" integer array NOT NULL, CONSTRAINT "PK_e50fae5bcdad5392d2bffcdbb2a" PRIMARY KEY ("task_id", "quarter"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "collective_member" ADD CONSTRAINT "FK_6157b32bb8d1c5e1f4865eb15ab" FOREIGN KEY ("collective_code") REFERENCES "unit"("code") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "collective_member" ADD CONSTRAINT "FK_aa0200a3a27e95bbc4c623448f7" FOREIGN KEY ("member_code") REFERENCES "unit"("code") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "app_user" ADD CONSTRAINT "FK_0122a66661fd91a1fb17fb45175" FOREIGN KEY ("unit_code") REFERENCES "unit"("code") ON DELETE NO ACTION ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "category" ADD CONSTRAINT "FK_20da027791b0c6ff080217d248e" FOREIGN KEY ("plan_id") REFERENCES "plan"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "task" ADD CONSTRAINT "FK_861fe9e94ad32e4f9b010e2cf48" FOREIGN KEY ("plan_id") REFERENCES "plan"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "task_responsibility" ADD CONSTRAINT "FK_59f5d091053a021bc66640734b0" FOREIGN KEY ("task_id") REFERENCES "task"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "quarterly_target" ADD CONSTRAINT "FK_d9d36fa996b161c8ebf4714d6c7" FOREIGN KEY ("task_id") REFERENCES "task"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "quarterly_target" DROP CONSTRAINT "FK_d9d36fa996b161c8ebf4714d6c7"`,
    );
    await queryRunner.query(
      `ALTER TABLE "task_responsibility" DROP CONSTRAINT "FK_59f5d091053a021bc66640734b0"`,
    );
    await queryRunner.query(`ALTER TABLE "task" DROP CONSTRAINT "FK_861fe9e94ad32e4f9b010e2cf48"`);
    await queryRunner.query(
      `ALTER TABLE "category" DROP CONSTRAINT "FK_20da027791b0c6ff080217d248e"`,
    );
    await queryRunner.query(
      `ALTER TABLE "app_user" DROP CONSTRAINT "FK_0122a66661fd91a1fb17fb45175"`,
    );
    await queryRunner.query(
      `ALTER TABLE "collective_member" DROP CONSTRAINT "FK_aa0200a3a27e95bbc4c623448f7"`,
    );
    await queryRunner.query(
      `ALTER TABLE "collective_member" DROP CONSTRAINT "FK_6157b32bb8d1c5e1f4865eb15ab"`,
    );
    await queryRunner.query(`DROP TABLE "quarterly_target"`);
    await queryRunner.query(`DROP TABLE "task_responsibility"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_789f95f26d67de0a7b99dd0161"`);
    await queryRunner.query(`DROP TABLE "task"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_bd3830ccc3dc1f554e24ea2966"`);
    await queryRunner.query(`DROP TABLE "category"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_86cfd6918011f14a2ecec71513"`);
    await queryRunner.query(`DROP TABLE "plan"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_c480e576dd71729addbc2d51b6"`);
    await queryRunner.query(`DROP TABLE "app_user"`);
    await queryRunner.query(`DROP TABLE "collective_member"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_5618100486bb99d78de022e582"`);
    await queryRunner.query(`DROP TABLE "unit"`);
  }
}
