import { type INestApplication, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { DubanEnv } from '@duban/config';
import { AppModule } from './app.module';
import { HttpErrorsFilter } from './common/http-errors.filter';
import { serveWebUi } from '../../web/serve-static';
import { jsonBodyGuard } from './common/json-body-guard';
import { documentErrorResponses } from './common/openapi';
import { requireJsonBody } from './common/require-json';

/** Builds the HTTP application; shared by main.ts and the end-to-end tests. */
export async function createApiApp(env: DubanEnv): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(env), {
    bodyParser: false,
    logger: env.NODE_ENV === 'test' ? ['error', 'warn'] : ['log', 'error', 'warn'],
  });
  // A plan notice in base64 is ~100 KB; nothing Duban accepts is near 2 MB.
  app.use(requireJsonBody);
  app.useBodyParser('json', { limit: '2mb' });
  app.use(jsonBodyGuard);
  app.setGlobalPrefix('api');
  // The browser UI (apps/web, built by `npm run build`) at `/`, with deep links falling back to it.
  serveWebUi(app);
  app.useGlobalPipes(
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // No implicit conversion: a number or an object sent where text belongs is refused, not
      // turned into "123" or "[object Object]". Query DTOs convert their fields explicitly.
      transformOptions: { enableImplicitConversion: false },
    }),
  );
  app.useGlobalFilters(new HttpErrorsFilter());
  app.enableShutdownHooks();
  const document = documentErrorResponses(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle('Duban 督办 API')
        .setDescription('Annual task plans run as durable Temporal workflows')
        .setVersion('0.1.0')
        .addBearerAuth()
        .build(),
    ),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
