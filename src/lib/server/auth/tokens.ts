import { createHash, randomBytes } from 'node:crypto';

/** A random 256-bit token, URL-safe. Only its hash is ever stored. */
export const newToken = () => randomBytes(32).toString('base64url');

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A readable random password for generated accounts (20 characters, ~119 bits). */
export const randomPassword = () => randomBytes(15).toString('base64url');
