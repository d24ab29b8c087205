import { hash, verify } from '@node-rs/argon2';

/** NIST SP 800-63B: a minimum length, no composition rules. */
export { MIN_PASSWORD_LENGTH } from '../../domain/account.ts';
export const MAX_PASSWORD_LENGTH = 256;

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane. (`algorithm` 2 is Argon2id; the enum is a
// const enum that isolated modules cannot import.)
const OPTIONS = { algorithm: 2, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string) => hash(password, OPTIONS);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
	try {
		return await verify(stored, password);
	} catch {
		return false;
	}
}

/** A hash to verify against when the account does not exist, so both cases take the same time. */
let dummy: Promise<string> | undefined;
export const dummyHash = () => (dummy ??= hashPassword('not-a-real-password-at-all'));
