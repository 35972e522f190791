import { EntityManager, QueryFailedError } from 'typeorm';
import { Actor } from '../../common/actor';
import { InvalidInputError } from '../../common/domain-error';
import { FormSubmission, SubmissionKind } from './form-submission.entity';

/**
 * One-use form tokens: the concern page renders a fresh token into each form, and the service claims
 * it in the same transaction as the record it makes. A second post of the same form (a double click,
 * a browser retry) finds the token taken and records nothing: the caller answers as for the first.
 * Two identical posts at once on PostgreSQL queue on the concern's row lock, and the token's primary
 * key refuses the second insert should anything get past that.
 */

/** The post repeats one that already recorded its change; nothing new was written. */
export class SubmissionReplayedError extends Error {
  constructor() {
    super('This form was already submitted');
    this.name = 'SubmissionReplayedError';
  }
}

/** Who may reuse a token: the same person, on the same concern, with the same form. */
export interface SubmissionOf {
  kind: SubmissionKind;
  concernId: string;
}

/**
 * Claims `token` for this form inside `manager`'s transaction (no token: nothing to claim). Throws
 * SubmissionReplayedError when the same person's same form already used it; a token of another
 * person, concern or form is refused as invalid input.
 */
export async function claimSubmission(
  manager: EntityManager,
  actor: Actor,
  token: string | undefined,
  of: SubmissionOf,
): Promise<void> {
  if (!token) return;
  const repository = manager.getRepository(FormSubmission);
  const earlier = await repository.findOne({ where: { token } });
  if (earlier) {
    if (earlier.userId === actor.userId && earlier.kind === of.kind && earlier.concernId === of.concernId)
      throw new SubmissionReplayedError();
    throw new InvalidInputError({ submissionKey: ['This form token belongs to another form'] });
  }
  await repository.insert({
    token,
    kind: of.kind,
    concernId: of.concernId,
    userId: actor.userId,
    submittedAt: new Date(),
  });
}

/** A refused insert of a form token: the same token claimed by a transaction that committed first. */
function isTokenTaken(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driver = error.driverError as { code?: string; table?: string; message?: string } | undefined;
  const unique = driver?.code === '23505' || /SQLITE_CONSTRAINT/.test(String(driver?.code ?? driver?.message));
  return unique && `${driver?.table ?? ''} ${driver?.message ?? ''}`.includes('form_submissions');
}

/** Runs `work` (one transaction that claims `token`); a lost race for the token is a replay too. */
export async function oncePerToken<T>(token: string | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (token && isTokenTaken(error)) throw new SubmissionReplayedError();
    throw error;
  }
}
