import { Server } from 'node:http';
import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { RequestHandler } from 'express';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import helmet from 'helmet';
import hbs from 'hbs';
import { join } from 'node:path';
import { AccessPolicy } from './access/access-policy';
import { csrfMiddleware } from './auth/csrf';
import { AppExceptionFilter } from './common/app-exception.filter';
import { createValidationPipe } from './common/validation';
import { AppConfig } from './config/app-config';
import { APP_CONFIG } from './config/config.module';
import { GracefulShutdown } from './health/graceful-shutdown';
import { languageMiddleware } from './i18n/language';
import { REQUEST_LOGGING } from './logging/logging.module';
import { registerHelpers, registerPartials } from './web/handlebars-helpers';
import { errorPageLocals } from './web/error-page-locals';
import { govukStylesheetHandler } from './web/govuk-stylesheet';
import { rollImportBody, rollUploadBody } from './school/roll/roll-body';
import { attachmentUploadBody } from './dsp/attachments/attachment-body';
import { noStore, rejectUnreadablePaths, rejectUnboundedBodies } from './web/request-hygiene';

/** The project root: two levels up from dist/src or one from src (ts-jest), where views/ lives. */
export const PROJECT_ROOT = join(__dirname, __dirname.includes(`${join('dist', 'src')}`) ? '../..' : '..');
export const VIEWS_DIR = join(PROJECT_ROOT, 'views');
const GOVUK_DIST = join(PROJECT_ROOT, 'node_modules', 'govuk-frontend', 'dist', 'govuk');

/** Everything an app instance needs beyond its modules; shared by main.ts and the end-to-end tests. */
export function configureApp(nestApp: INestApplication): NestExpressApplication {
  const app = nestApp as NestExpressApplication;
  const config = app.get<AppConfig>(APP_CONFIG);
  if (config.http.trustProxy) app.set('trust proxy', 1);
  app.disable('x-powered-by');
  // First of all: every response, even one a later middleware refuses, gets its X-Request-Id and its log line.
  app.use(app.get<RequestHandler>(REQUEST_LOGGING));

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'form-action': ["'self'"],
          'upgrade-insecure-requests': null,
        },
      },
      strictTransportSecurity: config.auth.cookieSecure,
    }),
  );
  // A full concern or referral in Welsh can pass the 100 kB default (three 10,000-character fields and notes).
  app.useBodyParser('json', { limit: '1mb' });
  app.useBodyParser('urlencoded', { limit: '1mb', extended: true });
  // The roll import's bodies (a CSV or CTF up to 20 MB; the upload page's multipart form), on those
  // paths only and before the guards, so the upload's CSRF field is there to check (school/roll/roll-body.ts).
  app.use('/api/organisations/:id/roll-imports', rollImportBody);
  app.use('/roll/import', rollUploadBody);
  // A concern's attachments (multipart, 10 MB), the same way: dsp/attachments/attachment-body.ts.
  app.use(['/api/concerns/:id/attachments', '/concerns/:id/attachments'], attachmentUploadBody);
  app.use(rejectUnboundedBodies);
  app.use(rejectUnreadablePaths);
  app.use(noStore);
  app.use(cookieParser());
  app.use(languageMiddleware(config.auth.cookieSecure));
  app.use(csrfMiddleware(config));

  // govuk-frontend's compiled stylesheet from the package, without the GDS Transport font faces (a font
  // we may not serve); no Crown or GOV.UK assets are used.
  app
    .getHttpAdapter()
    .getInstance()
    .get('/assets/govuk/govuk-frontend.min.css', govukStylesheetHandler(join(GOVUK_DIST, 'govuk-frontend.min.css')));
  app.useStaticAssets(GOVUK_DIST, { prefix: '/assets/govuk/', index: false, maxAge: '1h' });
  app.useStaticAssets(join(VIEWS_DIR, 'assets'), { prefix: '/assets/', index: false, maxAge: '1h' });

  app.setBaseViewsDir(VIEWS_DIR);
  app.setViewEngine('hbs');
  app.set('view options', { layout: 'layouts/main' });
  registerHelpers(hbs);
  registerPartials(hbs, join(VIEWS_DIR, 'partials'));

  // Built on first request, not at start: nobody waits for it before the first page (cold start, issue 9).
  let openApi: OpenAPIObject | undefined;
  app
    .getHttpAdapter()
    .getInstance()
    .get('/api/openapi.json', (_request, response) => {
      openApi ??= buildOpenApiDocument(app);
      response.json(openApi);
    });

  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AppExceptionFilter(errorPageLocals(app.get(AccessPolicy))));
  // SIGTERM/SIGINT: drain the server, then close the app (instead of Nest's enableShutdownHooks).
  app.get(GracefulShutdown).listen(app);
  keepConnectionsLongerThanProxies(app.getHttpServer());
  return app;
}

/** The JSON API's OpenAPI document (the HTML pages are for people and are left out). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Safeguarding record API')
      .setDescription(
        'Concerns, triage, referrals, local-authority inboxes, chronologies and guidance. Codes as in DOMAIN.md; errors as { statusCode, message, errors }.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  document.paths = Object.fromEntries(
    Object.entries(document.paths).filter(
      ([path]) => path.startsWith('/api/') || ['/health', '/health/live', '/health/ready'].includes(path),
    ),
  );
  return document;
}

/**
 * Node closes an idle keep-alive connection after 5 seconds; a reverse proxy (nginx, a load balancer)
 * or any client keeping connections longer can send its next request just as Node closes the socket,
 * and gets a reset instead of an answer (a 502 at the proxy). The server keeps idle connections longer
 * than the usual proxy idle timeout (60 s), so the client always closes first.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

function keepConnectionsLongerThanProxies(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Must be above keepAliveTimeout, or a slow request on a kept connection is cut before its headers.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
}
