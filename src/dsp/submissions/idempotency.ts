import { createParamDecorator, ExecutionContext, Injectable } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';
import { createHash } from 'node:crypto';
import { Request, Response } from 'express';
import { EntityManager } from 'typeorm';
import { canonicalJson } from '../../audit/audit-chain';
import { AuditService } from '../../audit/audit.service';
import { Actor } from '../../common/actor';
import { InvalidInputError, RuleBrokenError } from '../../common/domain-error';
import { isUniqueViolation } from '../../database/unique-violation';
import { UnitOfWork } from '../../database/unit-of-work';
import { IdempotencyKey } from './idempotency-key.entity';

/**
 * One creation per key (issue 10: the same concern posted twice made two concerns). A creation sent
 * with a key (the API's `Idempotency-Key` header; a page form's one-use token) claims the key in the
 * creation's own transaction and stores its answer there; a repeat by the same person answers the
 * stored answer and creates nothing. Keys are per person and last 24 hours.
 */

/** How long a key is remembered; older ones are deleted by the next creation made under a key. */
export const IDEMPOTENCY_KEY_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** 1 to 200 printable ASCII characters (what a header can carry without encoding). */
const KEY_PATTERN = /^[\x20-\x7e]{1,200}$/;

/** A creation request made under a key. */
export interface IdempotentRequest {
  key: string;
  /** The method and path it was sent to: a key belongs to one route (`POST /api/concerns`). */
  route: string;
  /** SHA-256 of the body's canonical JSON; null for a page form, where any repeat of its token replays. */
  bodyHash: string | null;
  /** Told when the answer is the stored one (the API says so in `Idempotent-Replayed: true`). */
  replayed(): void;
}

/** What a creation made, for the replay's audit entry (the replay shows pupil data again). */
export interface CreatedSubject {
  type: 'concern' | 'escalation';
  id: string;
  pupilId: string;
}

/** A creation's answer and what it made. */
export interface Created<T> {
  answer: T;
  subject: CreatedSubject;
}

/** The rule a reused key breaks: a key names one request, so another body or route under it is refused. */
export class IdempotencyKeyReusedError extends RuleBrokenError {
  constructor() {
    super(
      'idempotency_key_reused',
      'Idempotency-Key',
      'This Idempotency-Key was already used for a different request: use a new key for a new request',
    );
  }
}

function pathOf(request: Request): string {
  return request.originalUrl.split('?')[0];
}

/** Describes the header in the OpenAPI document, on each creation route that reads it with `@Idempotency()`. */
export const AcceptsIdempotencyKey = () =>
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      '1-200 printable ASCII characters. A repeat with the same key and body (same person, 24 hours) answers the ' +
      'first answer with Idempotent-Replayed: true and creates nothing; another body is 422 idempotency_key_reused.',
  });

/**
 * `@Idempotency()`: the request's `Idempotency-Key`, or undefined without one. A malformed key is a
 * 400 naming the header, before anything is read or written.
 */
export const Idempotency = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const request = context.switchToHttp().getRequest<Request>();
  const key = request.headers['idempotency-key'];
  if (key === undefined) return undefined;
  if (typeof key !== 'string' || !KEY_PATTERN.test(key))
    throw new InvalidInputError({ 'Idempotency-Key': ['must be 1 to 200 printable ASCII characters'] });
  const response = context.switchToHttp().getResponse<Response>();
  return {
    key,
    route: `${request.method} ${pathOf(request)}`,
    bodyHash: createHash('sha256')
      // No body and an empty one are the same request (a POST with nothing to say, e.g. an acknowledgement).
      .update(canonicalJson(request.body ?? {}))
      .digest('hex'),
    replayed: () => response.setHeader('Idempotent-Replayed', 'true'),
  } satisfies IdempotentRequest;
});

/**
 * A page form's one-use token (`submissionKey`, a fresh UUID rendered into the form) as the key: a
 * second post of the same form (a double click, back and send again) answers as the first did,
 * whatever it carries, so the page lands on what the first post made. No token: no claim.
 */
export function pageSubmission(request: Request, token: string | undefined): IdempotentRequest | undefined {
  if (!token) return undefined;
  return { key: token, route: `${request.method} ${pathOf(request)}`, bodyHash: null, replayed: () => undefined };
}

/** The current request, for `pageSubmission`. */
export const CurrentRequest = createParamDecorator((_: unknown, context: ExecutionContext) =>
  context.switchToHttp().getRequest<Request>(),
);

/** A refused insert of a key: the same person's same key, claimed by a transaction that committed first. */
function isKeyTaken(error: unknown): boolean {
  return isUniqueViolation(error, 'idempotency_keys');
}

@Injectable()
export class IdempotentCreations {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly audit: AuditService,
  ) {}

  /**
   * Runs `work` in one unit of work, once per key. With a key, the transaction first claims it
   * (primary key (user, key): a concurrent duplicate waits on it, then fails and is answered from the
   * stored answer), and `work`'s answer is stored with it before COMMIT. A repeat with the same route
   * and body (any body, for a page form) answers the stored answer and records that it was shown; the
   * same key for another route or body is IdempotencyKeyReusedError (422). Without a key: `work` alone.
   */
  async run<T>(
    actor: Actor,
    request: IdempotentRequest | undefined,
    work: (manager: EntityManager) => Promise<Created<T>>,
  ): Promise<T> {
    if (!request) return (await this.unitOfWork.run(work)).answer;
    try {
      return await this.unitOfWork.run(async (manager) => {
        const keys = manager.getRepository(IdempotencyKey);
        await keys
          .createQueryBuilder()
          .delete()
          .where('created_at < :cutoff', { cutoff: new Date(Date.now() - IDEMPOTENCY_KEY_LIFETIME_MS).toISOString() })
          .execute();
        const earlier = await keys.findOne({ where: { userId: actor.userId, key: request.key } });
        if (earlier) return this.replay<T>(manager, actor, request, earlier);
        await keys.insert({
          userId: actor.userId,
          key: request.key,
          route: request.route,
          bodyHash: request.bodyHash,
          status: 201,
          body: null,
          subjectType: null,
          subjectId: null,
          pupilId: null,
          createdAt: new Date(),
        });
        const { answer, subject } = await work(manager);
        await keys.update(
          { userId: actor.userId, key: request.key },
          {
            body: JSON.stringify(answer),
            subjectType: subject.type,
            subjectId: subject.id,
            pupilId: subject.pupilId,
          },
        );
        return answer;
      });
    } catch (error) {
      // A duplicate sent at the same moment committed first: its key refused ours, or what it made
      // refused our record (the concern was closed by it). Answer as it did; any other failure stands.
      const replayed = await this.unitOfWork.run(async (manager) => {
        const earlier = await manager
          .getRepository(IdempotencyKey)
          .findOne({ where: { userId: actor.userId, key: request.key } });
        return earlier ? { answer: await this.replay<T>(manager, actor, request, earlier) } : null;
      });
      if (replayed) return replayed.answer;
      if (isKeyTaken(error)) throw new IdempotencyKeyReusedError();
      throw error;
    }
  }

  /** The stored answer, when the request is the one that made it; the replay is audited as a view. */
  private async replay<T>(
    manager: EntityManager,
    actor: Actor,
    request: IdempotentRequest,
    earlier: IdempotencyKey,
  ): Promise<T> {
    const sameBody = request.bodyHash === null || earlier.bodyHash === request.bodyHash;
    if (earlier.route !== request.route || !sameBody || earlier.body === null) throw new IdempotencyKeyReusedError();
    if (earlier.subjectType && earlier.subjectId) {
      await this.audit.record(
        manager,
        actor,
        earlier.subjectType === 'escalation' ? 'escalation.viewed' : 'concern.viewed',
        { type: earlier.subjectType, id: earlier.subjectId },
        { pupilId: earlier.pupilId, replayed: true },
      );
    }
    request.replayed();
    return JSON.parse(earlier.body) as T;
  }
}
