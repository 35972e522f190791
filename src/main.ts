import 'reflect-metadata';
import cluster from 'node:cluster';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { AppConfig, loadConfigOrExplain } from './config/app-config';
import { OrganisationsService } from './organisations/organisations.service';
import { superviseWebWorkers } from './web-workers';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExplain(process.env);
  if (!config) process.exit(1);
  // WEB_WORKERS > 1: this process migrates and keeps the workers running; each worker serves as one process would.
  if (config.http.workers > 1 && cluster.isPrimary) return superviseWebWorkers(config);
  await serve(cluster.isWorker ? { ...config, logging: { ...config.logging, worker: cluster.worker!.id } } : config);
}

async function serve(config: AppConfig): Promise<void> {
  // Nest's own logs go to the app's pino logger (src/logging): JSON lines in production, for log
  // shippers (the audit checkpoints are among them), readable text in development (LOG_FORMAT).
  const app = configureApp(await NestFactory.create(AppModule.register(config), { bufferLogs: true }));
  app.useLogger(app.get(PinoNestLogger));
  await app.listen(config.port);
  const bootstrapLogger = new Logger('Bootstrap');
  const worker = config.logging.worker === undefined ? '' : `, worker ${config.logging.worker}`;
  bootstrapLogger.log(
    `Serving on http://localhost:${config.port} (${config.database.kind}, ${config.environment}${worker})`,
  );
  // An empty database (production, or SEED_DEMO off): say how to begin rather than serve a sign-in nobody can pass.
  if ((await app.get(OrganisationsService).countOrganisations()) === 0)
    bootstrapLogger.warn(
      'The database has no organisations and no accounts yet. To start your local authority, run ' +
        '`npm run admin:create -- --email <email> --name "<name>" --authority "<LA name>" [--authority-code <3 digits>]` ' +
        `and open the one-time link it prints to set the administrator's password; then sign in at ${config.mail.appUrl}/login ` +
        'to add your schools and PRUs and invite their head teachers (README: "Starting a local authority from nothing").',
    );
}

void bootstrap();
