import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { ConfigurationError, loadConfig } from './config/app-config';
import { OrganisationsService } from './organisations/organisations.service';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigurationError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  // One JSON object per line in production, for log shippers (the audit checkpoints are among them).
  const logger = new ConsoleLogger({ json: config.environment === 'production' });
  const app = configureApp(await NestFactory.create(AppModule.register(config), { bufferLogs: false, logger }));
  await app.listen(config.port);
  const bootstrapLogger = new Logger('Bootstrap');
  bootstrapLogger.log(`Serving on http://localhost:${config.port} (${config.database.kind}, ${config.environment})`);
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
