/**
 * The floor bench's app (`npm run bench:floor`, scripts/stack-floor.ts starts it as a child process):
 * the least a NestJS app on this stack can be while paying what the real app pays on every request.
 * Same packages, and the real app's own code where the cost lies: its configuration (src/config, the
 * same environment as `npm run bench` gives the app), its request log (src/logging: pino-http first of
 * all middleware, nestjs-pino for Nest's logs, JSON lines to standard output), helmet with the same
 * policy, the JSON and form body parsers (1 MB), the request-hygiene middleware, cookie-parser, the
 * language and CSRF-cookie middleware, the global validation pipe, the TypeORM connection options
 * (src/database/data-source-options.ts: one sqlite3 connection in WAL with synchronous=NORMAL, or a pg
 * pool of 10) and the keep-alive timeouts. Left out: the app's other global guards (two-factor gate,
 * CSRF guard), its page-locals interceptor, its exception filter, static assets and views (nothing here
 * renders a page or fails), Swagger, the scheduler and every module of the product.
 *
 * Routes (docs/performance.md, "The floor"):
 *   GET  /health/live           the bare route, as in the app (public, no database)
 *   GET  /health                SELECT 1 (the benches' settle between measurements)
 *   GET  /floor/json            a small JSON object (public)
 *   GET  /floor/jwt             the same behind a passport-jwt guard (HS256), no database
 *   GET  /floor/select/:n       the guard, then n sequential SELECTs by primary key through a repository
 *   POST /floor/insert          the guard, then one transaction: BEGIN, INSERT, COMMIT
 *   POST /floor/transaction     the guard, then one transaction of 7 statements: BEGIN, a SELECT by
 *                               primary key, 4 INSERTs, COMMIT
 * On SQLite the transactions queue for the one connection, as the app's writer does (UnitOfWork.run);
 * the SELECTs run on that same connection, as the app's session check does. On PostgreSQL both use the
 * pool of 10.
 */
import 'reflect-metadata';
import { createSecretKey, randomUUID } from 'node:crypto';
import { Server } from 'node:http';
import {
  BadRequestException,
  Body,
  Controller,
  DynamicModule,
  ExecutionContext,
  Get,
  HttpCode,
  Injectable,
  Logger,
  Module,
  OnModuleInit,
  Param,
  Post,
  Req,
  UnauthorizedException,
  Inject,
} from '@nestjs/common';
import { APP_GUARD, NestFactory, Reflector } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { NestExpressApplication } from '@nestjs/platform-express';
import { InjectDataSource, InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { IsInt, IsString, MaxLength } from 'class-validator';
import cookieParser from 'cookie-parser';
import { Request, RequestHandler } from 'express';
import helmet from 'helmet';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Column, DataSource, Entity, EntityManager, PrimaryColumn, Repository } from 'typeorm';
import { csrfMiddleware } from '../../src/auth/csrf';
import { IS_PUBLIC, Public } from '../../src/auth/public.decorator';
import { createValidationPipe } from '../../src/common/validation';
import { AppConfig, loadConfigOrExplain } from '../../src/config/app-config';
import { APP_CONFIG, ConfigModule } from '../../src/config/config.module';
import { dataSourceOptions } from '../../src/database/data-source-options';
import { languageMiddleware } from '../../src/i18n/language';
import { LoggingModule, REQUEST_LOGGING } from '../../src/logging/logging.module';
import { noStore, rejectUnboundedBodies, rejectUnreadablePaths } from '../../src/web/request-hygiene';

/**
 * src/app.setup.ts's KEEP_ALIVE_TIMEOUT_MS, not imported: that module loads Swagger, the views and the
 * access policy, which would make the floor's cold start the app's.
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Rows the SELECTs read, by primary key (a random one each time). */
const SEEDED_ROWS = 1000;

@Entity('floor_rows')
class FloorRow {
  @PrimaryColumn('varchar', { length: 36 }) id!: string;
  @Column('varchar', { length: 100 }) label!: string;
  @Column('integer') n!: number;
}

@Entity('floor_writes')
class FloorWrite {
  @PrimaryColumn('varchar', { length: 36 }) id!: string;
  @Column('varchar', { length: 200 }) label!: string;
  @Column('integer') n!: number;
  @Column('varchar', { name: 'created_at', length: 30 }) createdAt!: string;
}

/** What a POST sends: validated by the global pipe (class-validator), as the app's DTOs are. */
class FloorBody {
  @IsString() @MaxLength(200) label!: string;
  @IsInt() n!: number;
}

interface Caller {
  userId: string;
}
type CallerRequest = Request & { user: Caller };

/** HS256 only, expiry enforced, the secret as a KeyObject: as src/auth/jwt.strategy.ts, minus its session query. */
@Injectable()
class FloorJwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: createSecretKey(Buffer.from(config.auth.jwtSecret)) as unknown as string,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  validate(claims: { sub?: unknown }): Caller | false {
    return typeof claims?.sub === 'string' ? { userId: claims.sub } : false;
  }
}

/** Global, as the app's JwtAuthGuard: every route but @Public() ones needs a valid token. */
@Injectable()
class FloorGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()])) return true;
    return super.canActivate(context);
  }

  override handleRequest<T>(error: unknown, caller: T): T {
    if (error || !caller) throw new UnauthorizedException();
    return caller;
  }
}

/** Transactions: on SQLite one at a time on the one connection (as UnitOfWork.run), on PostgreSQL pooled. */
@Injectable()
class FloorWriter {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  write<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.dataSource.options.type === 'postgres') return this.dataSource.transaction(work);
    const next = this.queue.then(() => this.dataSource.transaction(work));
    this.queue = next.catch(() => undefined);
    return next;
  }
}

@Controller()
class FloorController implements OnModuleInit {
  private ids: string[] = [];

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(FloorRow) private readonly rows: Repository<FloorRow>,
    private readonly writer: FloorWriter,
  ) {}

  async onModuleInit(): Promise<void> {
    this.ids = (await this.rows.find({ select: { id: true } })).map((row) => row.id);
  }

  @Public()
  @Get('health/live')
  @HttpCode(200)
  live() {
    return { status: 'ok' };
  }

  @Public()
  @Get('health')
  @HttpCode(200)
  async health() {
    await this.dataSource.query('SELECT 1');
    return { status: 'ok', database: 'up' };
  }

  @Public()
  @Get('floor/json')
  json() {
    return { status: 'ok', route: 'json', at: Date.now() };
  }

  @Get('floor/jwt')
  jwt(@Req() request: CallerRequest) {
    return { status: 'ok', route: 'jwt', userId: request.user.userId };
  }

  @Get('floor/select/:count')
  async select(@Req() request: CallerRequest, @Param('count') count: string) {
    const n = Number(count);
    if (!(Number.isInteger(n) && n >= 1 && n <= 20)) throw new BadRequestException('count is 1 to 20');
    let found = 0;
    let last: FloorRow | null = null;
    for (let i = 0; i < n; i++) {
      last = await this.rows.findOneBy({ id: this.randomId() });
      if (last) found += 1;
    }
    return { status: 'ok', userId: request.user.userId, found, label: last?.label ?? null };
  }

  @Post('floor/insert')
  @HttpCode(201)
  async insert(@Req() request: CallerRequest, @Body() body: FloorBody) {
    const id = randomUUID();
    await this.writer.write((manager) => manager.insert(FloorWrite, this.write(id, body)));
    return { status: 'ok', userId: request.user.userId, id };
  }

  @Post('floor/transaction')
  @HttpCode(201)
  async transaction(@Req() request: CallerRequest, @Body() body: FloorBody) {
    const id = randomUUID();
    await this.writer.write(async (manager) => {
      const row = await manager.findOneBy(FloorRow, { id: this.randomId() });
      if (!row) throw new Error('A seeded row is missing');
      await manager.insert(FloorWrite, this.write(id, body));
      for (let i = 1; i <= 3; i++) await manager.insert(FloorWrite, this.write(randomUUID(), body, row.n + i));
    });
    return { status: 'ok', userId: request.user.userId, id };
  }

  private randomId(): string {
    return this.ids[Math.floor(Math.random() * this.ids.length)];
  }

  private write(id: string, body: FloorBody, n = body.n): FloorWrite {
    return { id, label: body.label, n, createdAt: new Date().toISOString() };
  }
}

/** The floor's tables, made on the throwaway database at start, and the rows the SELECTs read. */
async function prepare(dataSource: DataSource): Promise<void> {
  await dataSource.query(
    'CREATE TABLE IF NOT EXISTS floor_rows (id varchar(36) PRIMARY KEY, label varchar(100) NOT NULL, n integer NOT NULL)',
  );
  await dataSource.query(
    'CREATE TABLE IF NOT EXISTS floor_writes (id varchar(36) PRIMARY KEY, label varchar(200) NOT NULL, ' +
      'n integer NOT NULL, created_at varchar(30) NOT NULL)',
  );
  const [{ count }]: Array<{ count: string | number }> = await dataSource.query(
    'SELECT COUNT(*) AS count FROM floor_rows',
  );
  for (let done = Number(count); done < SEEDED_ROWS; done += 100) {
    const chunk = Array.from({ length: Math.min(100, SEEDED_ROWS - done) }, (_, i) => ({
      id: randomUUID(),
      label: `Row ${done + i}`,
      n: done + i,
    }));
    await dataSource.createQueryBuilder().insert().into(FloorRow).values(chunk).execute();
  }
}

@Module({})
class FloorModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: FloorModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule,
        PassportModule,
        TypeOrmModule.forRootAsync({
          useFactory: () => dataSourceOptions(config.database, [FloorRow, FloorWrite]),
          dataSourceFactory: async (options) => {
            const dataSource = await new DataSource(options!).initialize();
            // As src/database/database.module.ts does.
            if (options!.type === 'sqlite' && options.enableWAL) await dataSource.query('PRAGMA synchronous = NORMAL');
            await prepare(dataSource);
            return dataSource;
          },
        }),
        TypeOrmModule.forFeature([FloorRow, FloorWrite]),
      ],
      controllers: [FloorController],
      providers: [FloorJwtStrategy, FloorWriter, { provide: APP_GUARD, useClass: FloorGuard }],
    };
  }
}

async function main(): Promise<void> {
  const config = loadConfigOrExplain(process.env);
  if (!config) process.exit(1);
  const app = await NestFactory.create<NestExpressApplication>(FloorModule.register(config), { bufferLogs: true });
  app.useLogger(app.get(PinoNestLogger));
  // As src/app.setup.ts configureApp, in its order, for what is kept (see the top of this file).
  app.disable('x-powered-by');
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
  app.useBodyParser('json', { limit: '1mb' });
  app.useBodyParser('urlencoded', { limit: '1mb', extended: true });
  app.use(rejectUnboundedBodies);
  app.use(rejectUnreadablePaths);
  app.use(noStore);
  app.use(cookieParser());
  app.use(languageMiddleware(config.auth.cookieSecure));
  app.use(csrfMiddleware(config));
  app.useGlobalPipes(createValidationPipe());
  await app.listen(config.port);
  const server: Server = app.getHttpServer();
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1_000;
  new Logger('Bootstrap').log(`Serving on http://localhost:${config.port} (floor, ${config.database.kind})`);
}

void main();
