import request, { Response } from 'supertest';

/**
 * The JSON API as the end-to-end tests call it: as one signed-in person (a Bearer token), with typed
 * answers. The shapes below are API.md's contract, written out here (not imported from src/) so that a
 * test reads what a client would; they name only what the tests read.
 */

/** A supertest response whose JSON body has a known shape (supertest's own is `any`). */
export type JsonResponse<T> = Omit<Response, 'body'> & { body: T };

export interface Paged<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/** 400 (malformed input) and 422 (a broken rule): `errors` is keyed by field. */
export interface ErrorBody {
  statusCode: number;
  message: string;
  errors?: Record<string, string[]>;
  /** A 429 from signing in: what is limited, and for how long (docs/api-additions.md). */
  limit?: 'device' | 'address' | 'account' | 'account_address';
  retryAfterSeconds?: number;
}

export interface Me {
  id: string;
  email: string;
  name: string;
  role: string;
  organisationId: string;
  language: 'en' | 'cy';
  /** `GET /api/me` only. */
  emailNotifications?: boolean;
}

export interface SignInAnswer {
  accessToken: string;
  user: Me;
}

export interface PupilSummary {
  id: string;
  upn: string;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  yearGroup: number;
  enrolments: Array<{ organisationId: string; type: string }>;
}

export interface Actor {
  id?: string | null;
  name: string;
  role: string | null;
}

export interface GuidanceAnswer {
  level: number;
  route: string;
  emergency: boolean;
  reasons: Array<{ code: string; message: string }>;
  triggers: Array<{ code: string; message: string }>;
  alsoDo: Array<{ code: string; message: string }>;
  services: Array<{ code: string; name: string; description: string; howToAccess: string }>;
  chronologyReviewAdvised: boolean;
}

export interface Concern {
  id: string;
  status: string;
  pupilId: string;
  organisationId: string;
  recordedAt: string;
  occurredAt: string;
  category: string;
  summary: string;
  recordedBy: Actor;
  guidance: GuidanceAnswer;
}

export interface Decision {
  id: string;
  outcome: string;
  rationale: string;
  belowGuidance: boolean;
}

export interface Escalation {
  id: string;
  route: string;
  status: string;
  sentAt: string;
  dueBy: string;
  organisationId: string;
  recommendedLevel: number;
  recommendedRoute: string;
  againstRecommendation?: boolean;
  aboveGuidance?: boolean;
  redirectedFromId: string | null;
  outcome: { outcome: string; note: string; earlyHelpEscalationId?: string | null } | null;
}

export interface ConcernDetail extends Concern {
  decisions: Decision[];
  escalations: Escalation[];
  closure: { rationale: string; closedAt: string } | null;
}

/** One row of a DSP's or head teacher's concern list. */
export interface ConcernListItem {
  id: string;
  status: string;
  recordedAt: string;
  pupil: { id: string; firstName: string; lastName: string };
  recordedBy: Actor;
}

/** One referral in a local-authority team's inbox. */
export interface InboxItem {
  id: string;
  route: string;
  status: string;
  sentAt: string;
  dueBy: string;
  overdue: boolean;
  pupil: { id: string; firstName: string; lastName: string; dateOfBirth: string };
  organisation: { id: string; name: string };
}

export interface OutcomeAnswer {
  outcome: string;
  note: string;
  earlyHelpEscalationId?: string | null;
}

export interface AuditItem {
  at: string;
  actor: { id: string | null; name: string; role: string | null };
  action: string;
  subjectType: string;
  subjectId: string;
  /** Where the actor acted, named in the reader's language. */
  organisation?: { id: string; name: string } | null;
  /** The pupil the entry is about; `name` null when the reader may not see them. */
  pupil?: { id: string; name: string | null } | null;
}

export interface ChronologyEntry {
  id: string;
  at: string;
  kind: string;
  title: string;
  detail: string;
  actor: { name: string; role: string } | null;
  organisationId: string;
  /** Where the entry was made, named in the reader's language. */
  organisation: { id: string; name: string };
  concernId?: string;
  escalationId?: string;
}

export interface Chronology {
  pupil: PupilSummary;
  entries: ChronologyEntry[];
}

/** What a test needs of the app to call it: its HTTP server and a token per person. */
export interface ApiTarget {
  http(): ReturnType<typeof request>;
  tokenFor(email: string): Promise<string>;
}

/** The JSON API as one person: every request carries their Bearer token. */
export class ApiClient {
  constructor(
    private readonly target: ApiTarget,
    readonly email: string,
  ) {}

  /** The Authorization header, for requests built by hand (e.g. a page fetched with the token). */
  async authorization(): Promise<{ Authorization: string }> {
    return { Authorization: `Bearer ${await this.target.tokenFor(this.email)}` };
  }

  async get<T = unknown>(path: string, query: Record<string, string> = {}): Promise<JsonResponse<T>> {
    return this.target
      .http()
      .get(path)
      .query(query)
      .set(await this.authorization());
  }

  /** POST with a JSON body (or none at all), and any extra headers (e.g. `Idempotency-Key`). */
  async post<T = unknown>(path: string, body?: object, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
    const sending = this.target
      .http()
      .post(path)
      .set(await this.authorization())
      .set(headers);
    return body === undefined ? sending : sending.send(body);
  }

  /** POST that must create (201); the created resource, or an error naming what came back instead. */
  async created<T = { id: string }>(path: string, body?: object): Promise<T> {
    const response = await this.post<T>(path, body);
    if (response.status !== 201)
      throw new Error(`${this.email} POST ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  /** GET that must answer 200; its body. */
  async read<T>(path: string, query: Record<string, string> = {}): Promise<T> {
    const response = await this.get<T>(path, query);
    if (response.status !== 200)
      throw new Error(`${this.email} GET ${path}: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  /** GET /api/me. */
  me(): Promise<Me> {
    return this.read<Me>('/api/me');
  }

  /** The pupils this person may see (GET /api/pupils), optionally searched. */
  async pupils(query: Record<string, string> = {}): Promise<PupilSummary[]> {
    return (await this.read<Paged<PupilSummary>>('/api/pupils', query)).items;
  }

  /** A pupil this person may see, by first and (optionally) last name. */
  async pupilNamed(firstName: string, lastName?: string): Promise<PupilSummary> {
    const pupil = (await this.pupils(lastName ? { q: lastName } : {})).find(
      (p) => p.firstName === firstName && (lastName === undefined || p.lastName === lastName),
    );
    if (!pupil) throw new Error(`${firstName} ${lastName ?? ''} is not on the roll ${this.email} can see`);
    return pupil;
  }
}

/**
 * What POST /api/auth/login answers: a session (200) or an error (400, 401, 429). Typed as both, so a
 * test can read either after checking the status (and see `accessToken` undefined on a refusal).
 */
export type SignInResponse = JsonResponse<SignInAnswer & Required<ErrorBody>>;

/** POST /api/auth/login with `body` (usually `{email, password}`), as a script would. */
export async function signInToApi(target: Pick<ApiTarget, 'http'>, body: object): Promise<SignInResponse> {
  return target.http().post('/api/auth/login').send(body);
}

/** GET /api/me with a given token (rather than a person's cached one), typed. */
export async function meWithToken(target: Pick<ApiTarget, 'http'>, token: string): Promise<JsonResponse<Me>> {
  return target.http().get('/api/me').set('Authorization', `Bearer ${token}`);
}

/**
 * An error body without its `requestId`, which differs on every request: for tests that show two
 * refusals are indistinguishable (a hidden record answers exactly as a missing one).
 */
export function withoutRequestId(body: unknown): Record<string, unknown> {
  const { requestId: _requestId, ...rest } = body as Record<string, unknown>;
  return rest;
}
