import { Writable } from 'node:stream';
import express from 'express';
import request from 'supertest';
import { acceptRequestId } from '../common/request-id';
import { createAppLogger, requestLogging } from './app-logger';
import { loggedPath, REDACTED_SEGMENT, serializeError, serializeRequest } from './log-serializers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TOKEN = 'kq3F0x_vYb6W1m2Zr8pQe4Ls9Tn7Ud5Hc0Aj3Gi2Ow-';
const CONCERN_ID = '6f1c2d3e-4a5b-4c6d-8e7f-901234567890';

/** A logger writing into an array of parsed lines. */
function capturingLogger(level: 'info' | 'warn' = 'info') {
  const lines: Array<Record<string, unknown>> = [];
  let raw = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw += chunk.toString('utf8');
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createAppLogger({ level, format: 'json' }, destination), lines, raw: () => raw };
}

describe('acceptRequestId', () => {
  it.each(['abc-123', 'A.b_c-9', '6f1c2d3e-4a5b-4c6d-8e7f-901234567890', 'x'.repeat(64)])('keeps %s', (id) => {
    expect(acceptRequestId(id)).toBe(id);
  });

  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(65)],
    ['a space', 'bad id'],
    ['a line break', 'abc\n{"level":"info"}'],
    ['markup', '<script>'],
    ['a quote', 'a"b'],
    ['non-ASCII', 'ŵ'],
  ])('replaces one with %s by a new UUID', (_label, id) => {
    expect(acceptRequestId(id)).toMatch(UUID);
  });

  it('replaces a missing or repeated header by a new UUID, a different one each time', () => {
    const first = acceptRequestId(undefined);
    expect(first).toMatch(UUID);
    expect(acceptRequestId(['a', 'b'])).toMatch(UUID);
    expect(acceptRequestId(undefined)).not.toBe(first);
  });
});

describe('createAppLogger', () => {
  it("names a worker process's lines with its worker id, beside the pid; one process's lines name no worker", () => {
    const written = (worker?: number) => {
      const lines: Array<Record<string, unknown>> = [];
      const destination = new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
          done();
        },
      });
      createAppLogger({ level: 'info', format: 'json', worker }, destination).info('Serving');
      return lines[0];
    };
    expect(written(3)).toMatchObject({ msg: 'Serving', pid: process.pid, worker: 3 });
    expect(written()).toMatchObject({ msg: 'Serving', pid: process.pid });
    expect(written()).not.toHaveProperty('worker');
  });
});

describe('the log serializers', () => {
  it('log a path without its query, keeping ids and words and masking anything like a token', () => {
    expect(loggedPath(`/api/concerns/${CONCERN_ID}?q=Lily%20Evans`)).toBe(`/api/concerns/${CONCERN_ID}`);
    expect(loggedPath(`/invite/${TOKEN}`)).toBe(`/invite/${REDACTED_SEGMENT}`);
    expect(loggedPath(`/api/auth/password-reset/${TOKEN}`)).toBe(`/api/auth/password-reset/${REDACTED_SEGMENT}`);
    expect(loggedPath('/pupils/Lily%20Evans/chronology')).toBe(`/pupils/${REDACTED_SEGMENT}/chronology`);
    expect(loggedPath('/')).toBe('/');
    expect(loggedPath(undefined)).toBe('/');
  });

  it('give a request its method and path only: no headers, cookies, query or body', () => {
    const serialized = serializeRequest({
      method: 'POST',
      originalUrl: '/api/concerns?name=Lily',
      url: '/concerns',
      headers: { authorization: `Bearer ${TOKEN}`, cookie: `sg_session=${TOKEN}` },
      body: { summary: 'secret' },
    } as never);
    expect(serialized).toEqual({ method: 'POST', path: '/api/concerns' });
  });

  it('give an error its type, message, stack and code, not what a database error carries', () => {
    const error = Object.assign(new TypeError('insert failed'), {
      code: 'SQLITE_CONSTRAINT',
      parameters: ['Lily Evans'],
      detail: 'Key (name)=(Lily Evans)',
    });
    const serialized = serializeError(error);
    expect(serialized).toEqual({
      type: 'TypeError',
      message: 'insert failed',
      stack: expect.stringContaining('TypeError: insert failed'),
      code: 'SQLITE_CONSTRAINT',
    });
    expect(serializeError('thrown text')).toEqual({ type: 'string', message: 'thrown text' });
  });

  it('are backed by redact: headers, bodies, passwords and tokens logged by hand are removed', () => {
    const { logger, lines, raw } = capturingLogger();
    logger.info(
      {
        headers: { authorization: `Bearer ${TOKEN}` },
        body: { summary: 'secret summary' },
        password: 'hunter2-password',
        account: { password: 'hunter2-password', token: TOKEN, accessToken: TOKEN, email: 'a@b.example' },
      },
      'by hand',
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'info', msg: 'by hand', account: { email: 'a@b.example' } });
    for (const secret of [TOKEN, 'secret summary', 'hunter2-password']) expect(raw()).not.toContain(secret);
  });
});

describe('requestLogging', () => {
  function appWith(logger: ReturnType<typeof capturingLogger>['logger']) {
    const app = express();
    app.use(requestLogging(logger));
    app.use(express.json());
    app.post('/api/concerns', (req, res) => {
      (req as express.Request & { user?: object }).user = { userId: 'user-1', role: 'dsp', name: 'Dana Smith' };
      res.status(201).json({ ok: true });
    });
    app.get('/broken', () => {
      throw new Error('the database went away');
    });
    app.use((error: Error, _req: express.Request, res: express.Response, next: express.NextFunction) => {
      void next;
      res.err = error;
      res.status(500).json({ statusCode: 500 });
    });
    return app;
  }

  it('writes one line per request with its id, method, path, status, time and the actor, and sends the id back', async () => {
    const { logger, lines, raw } = capturingLogger();
    const response = await request(appWith(logger))
      .post('/api/concerns?pupil=Lily')
      .set('Authorization', `Bearer ${TOKEN}`)
      .set('Cookie', `sg_session=${TOKEN}`)
      .send({ summary: 'Said her stepfather hit her' });
    expect(response.status).toBe(201);
    const id = response.headers['x-request-id'];
    expect(id).toMatch(UUID);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toEqual({
      level: 'info',
      time: expect.any(Number),
      pid: expect.any(Number),
      hostname: expect.any(String),
      reqId: id,
      req: { method: 'POST', path: '/api/concerns' },
      res: { statusCode: 201 },
      responseTime: expect.any(Number),
      userId: 'user-1',
      role: 'dsp',
      msg: 'request completed',
    });
    for (const secret of [TOKEN, 'stepfather', 'Lily', 'Dana']) expect(raw()).not.toContain(secret);
  });

  it('keeps a safe incoming X-Request-Id and replaces an unsafe one', async () => {
    const { logger, lines } = capturingLogger();
    const app = appWith(logger);
    const kept = await request(app).post('/api/concerns').set('X-Request-Id', 'proxy-7f3a.1').send({});
    expect(kept.headers['x-request-id']).toBe('proxy-7f3a.1');
    const replaced = await request(app).post('/api/concerns').set('X-Request-Id', 'bad id <b>').send({});
    expect(replaced.headers['x-request-id']).toMatch(UUID);
    expect(lines.map((line) => line.reqId)).toEqual(['proxy-7f3a.1', replaced.headers['x-request-id']]);
  });

  it('logs a server error at error level with its stack and the request id', async () => {
    const { logger, lines } = capturingLogger('warn');
    const response = await request(appWith(logger)).get('/broken');
    expect(response.status).toBe(500);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 'error',
        reqId: response.headers['x-request-id'],
        res: { statusCode: 500 },
        err: expect.objectContaining({
          type: 'Error',
          message: 'the database went away',
          stack: expect.stringContaining('the database went away'),
        }),
        msg: 'request failed',
      }),
    ]);
  });
});
