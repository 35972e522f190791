import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';
/** Routes anyone may call without signing in (sign-in itself, health, static assets). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

export const SESSION_OPTIONAL = 'sessionOptional';
/** Routes anyone may call, that also know who is signed in when someone is (the language switch). */
export const SessionOptional = () => SetMetadata(SESSION_OPTIONAL, true);
