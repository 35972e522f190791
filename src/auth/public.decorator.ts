import { SetMetadata } from '@nestjs/common';

export const IS_PUBLIC = 'isPublic';
/** Routes anyone may call without signing in (sign-in itself, health, static assets). */
export const Public = () => SetMetadata(IS_PUBLIC, true);
