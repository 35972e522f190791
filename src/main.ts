import 'reflect-metadata';
import { ConsoleLogger, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { ConfigurationError, loadConfig } from './config/app-config';

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
  new Logger('Bootstrap').log(
    `Serving on http://localhost:${config.port} (${config.database.kind}, ${config.environment})`,
  );
}

void bootstrap();
