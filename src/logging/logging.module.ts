import { Global, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { Logger } from 'pino';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { createAppLogger, requestLogging } from './app-logger';
import { LOG_SERIALIZERS } from './log-serializers';

/** The app instance's pino logger (one per configuration, so Nest's logs and the request lines share it). */
export const APP_LOGGER = Symbol('APP_LOGGER');
/** The request log's middleware, mounted first of all by app.setup.ts. */
export const REQUEST_LOGGING = Symbol('REQUEST_LOGGING');

/**
 * The app's log (docs: operations, Logs). nestjs-pino's Logger takes Nest's own logging (main.ts calls
 * app.useLogger), and logs made while handling a request carry its id; the request lines come from
 * pino-http, mounted by app.setup.ts before every other middleware so that every response, even one a
 * middleware refuses, has its X-Request-Id and its line. nestjs-pino is told the logger exists
 * (`useExisting`), so it adds only the request context, not a second request log.
 */
@Global()
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        pinoHttp: { logger: appLoggerFor(config), wrapSerializers: false, serializers: LOG_SERIALIZERS },
        useExisting: true,
      }),
    }),
  ],
  providers: [
    { provide: APP_LOGGER, inject: [APP_CONFIG], useFactory: appLoggerFor },
    { provide: REQUEST_LOGGING, inject: [APP_LOGGER], useFactory: requestLogging },
  ],
  exports: [APP_LOGGER, REQUEST_LOGGING, LoggerModule],
})
export class LoggingModule {}

const loggers = new WeakMap<AppConfig, Logger>();
function appLoggerFor(config: AppConfig): Logger {
  let logger = loggers.get(config);
  if (!logger) {
    logger = createAppLogger(config.logging);
    loggers.set(config, logger);
  }
  return logger;
}
