import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageFormDto } from '../common/page-form.dto';
import { PageQueryDto } from '../common/page-query.dto';
import {
  FieldProblem,
  FormChoice,
  FormError,
  formErrorOf,
  FormSpec,
  FormText,
  given,
  inPageOrder,
  text,
} from '../web/forms';
import { TRANSFER_DIRECTIONS, TransferDirection } from './dto/transfer-query.dto';
import { TransferError, TransferRuleError } from './transfer-errors';

/** The send form as a browser posts it: every field optional text, so the page can come back as typed. */
export class SendTransferFormDto extends PageFormDto {
  @FormChoice() destination?: string;
  @FormText(1000) externalName?: string;
  @FormText(1000) externalLocalAuthority?: string;
  @FormChoice() sentBy?: string;
  @FormChoice() leavingOn?: string;
  @FormText() note?: string;
}

export class TransfersPageQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(TRANSFER_DIRECTIONS)
  direction?: TransferDirection;

  @IsOptional()
  @IsString()
  @MaxLength(7)
  page?: string;
}

export const TRANSFER_PAGE_DONE = ['sent', 'received'] as const;

export class TransferPageQueryDto extends PageQueryDto {
  @IsOptional()
  @IsIn(TRANSFER_PAGE_DONE)
  done?: (typeof TRANSFER_PAGE_DONE)[number];
}

/** The choice of "outside the local authority" among the destinations. */
export const EXTERNAL_CHOICE = 'external';

export interface SendTransferForm {
  destination: string;
  externalName: string;
  externalLocalAuthority: string;
  sentBy: string;
  leavingOn: string;
  note: string;
}

export function sendFormOf(form: SendTransferFormDto): SendTransferForm {
  return {
    destination: text(form.destination),
    externalName: text(form.externalName),
    externalLocalAuthority: text(form.externalLocalAuthority),
    sentBy: text(form.sentBy),
    leavingOn: text(form.leavingOn).trim(),
    note: text(form.note),
  };
}

/** The API body the form stands for: one destination or the other, as the person chose. */
export function sendBodyOf(form: SendTransferForm): object {
  const common = { leavingOn: given(form.leavingOn), note: given(form.note) };
  if (form.destination === EXTERNAL_CHOICE)
    return {
      toExternal: { name: given(form.externalName), localAuthority: given(form.externalLocalAuthority) },
      sentBy: given(form.sentBy),
      ...common,
    };
  return { toOrganisationId: given(form.destination), ...common };
}

/**
 * A school of the LA chosen while the outside-the-LA fields are filled in: the person may have meant
 * either, and a whole file must not go to the wrong school on a guess, so the form asks again.
 */
export function mixedDestinationError(form: SendTransferForm): FormError | null {
  if (!form.destination || form.destination === EXTERNAL_CHOICE) return null;
  const externalTyped = [form.externalName, form.externalLocalAuthority, form.sentBy].some((value) => value.trim());
  return externalTyped ? { field: 'destination', key: 'transfers.errors.mixedDestination' } : null;
}

const FIELD_ORDER = ['destination', 'externalName', 'externalLocalAuthority', 'sentBy', 'leavingOn', 'note'];

export const SEND_TRANSFER_FORM_SPEC: FormSpec = {
  fields: {
    toOrganisationId: { field: 'destination', keys: { otherwise: 'transfers.errors.destination' } },
    toExternal: { field: 'destination', keys: { otherwise: 'transfers.errors.destination' } },
    'toExternal.name': { field: 'externalName', keys: { missing: 'transfers.errors.externalName' } },
    'toExternal.localAuthority': { field: 'externalLocalAuthority' },
    sentBy: { field: 'sentBy', keys: { otherwise: 'transfers.errors.sentBy' } },
    leavingOn: { field: 'leavingOn', keys: { otherwise: 'transfers.errors.leavingOn' } },
    note: { field: 'note' },
  },
  common: {
    tooLong: 'transfers.errors.tooLong',
    controlCharacters: 'transfers.errors.controlCharacters',
    otherwise: 'transfers.errors.invalid',
  },
  fallbackField: 'destination',
};

export function sendFormErrors(problems: FieldProblem[]): FormError[] {
  const errors = problems
    .map((problem) => formErrorOf(problem, SEND_TRANSFER_FORM_SPEC))
    .filter((error): error is FormError => error !== null);
  const once = errors.filter((error, i) => errors.findIndex((other) => other.field === error.field) === i);
  return inPageOrder(once, FIELD_ORDER);
}

/** A broken rule as the send form shows it, or null for anything else (the error page says it). */
export function sendRuleError(error: unknown): FormError | null {
  if (!(error instanceof TransferRuleError)) return null;
  switch (error.reason) {
    case TransferError.OpenTransfer:
    case TransferError.NotOnRoll:
    case TransferError.NotMainSchool:
    case TransferError.DestinationNotAllowed:
    case TransferError.DestinationIsSender:
      return { field: 'destination', key: `transfers.rules.${error.reason}` };
    case TransferError.AlreadyReceived:
    case TransferError.NothingToReceive:
      return null;
  }
}
