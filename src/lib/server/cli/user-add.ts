import { parseArgs } from 'node:util';
import { z } from 'zod';
import { newUserSchema, roleSchema } from '../../domain/account.ts';
import { createUser } from '../services/user.service.ts';
import { runCli } from './run.ts';
import { inDutch } from '../../domain/zod-messages.ts';

const USAGE =
	'Gebruik: npm run user:add -- --email E --password P --name N [--admin] [--role lead|aanjager|funder --programme SLUG]';

const { values } = parseArgs({
	options: {
		email: { type: 'string' },
		password: { type: 'string' },
		name: { type: 'string' },
		admin: { type: 'boolean', default: false },
		role: { type: 'string' },
		programme: { type: 'string' }
	},
	strict: true
});

const parsed = newUserSchema
	.extend({ role: roleSchema.optional(), programme: z.string().min(1).optional() })
	.refine((v) => (v.role === undefined) === (v.programme === undefined), {
		message: '--role en --programme horen bij elkaar',
		path: ['role']
	})
	.safeParse({ ...values, isAdmin: values.admin }, inDutch);

if (!parsed.success) {
	for (const issue of parsed.error.issues) console.error(`--${issue.path.join('.')}: ${issue.message}`);
	console.error(USAGE);
	process.exit(2);
}

await runCli(async ({ db }) => {
	const { role, programme, ...user } = parsed.data;
	const created = await createUser({ db, actor: null }, user, role && programme ? { role, programme } : undefined);
	if (!created.ok)
		throw new Error(`${created.refusal.issues?.[0]?.message ?? created.refusal.message} Er is niets aangemaakt.`);
	console.log(
		`Gebruiker ${user.email} aangemaakt${user.isAdmin ? ' (beheerder)' : ''}${role ? ` met rol ${role} in ${programme}` : ''}.`
	);
});
