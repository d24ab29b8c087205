import { readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import pkg from '../../../../package.json' with { type: 'json' };

/**
 * `vite build -c src/lib/server/cli/vite.config.ts` (run from the installation folder, as `npm run build` does):
 * the operator commands (src/lib/server/cli/*.ts) built to plain JavaScript under build/cli/, so a production
 * install runs them with node alone (no tsx, no dev packages). The packages stay external: they are the
 * installation's production dependencies, found from build/cli/ in its node_modules.
 */
const cliDir = fileURLToPath(new URL('.', import.meta.url));
const entries = Object.fromEntries(
	readdirSync(cliDir)
		.filter((f) => f.endsWith('.ts') && !['run.ts', 'vite.config.ts'].includes(f))
		.map((f) => [f.replace(/\.ts$/, ''), join(cliDir, f)])
);
const packages = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies });
const external = (id: string) =>
	id.startsWith('node:') ||
	builtinModules.includes(id) ||
	packages.some((name) => id === name || id.startsWith(`${name}/`));

export default defineConfig({
	// no public/ copy, no .env: only the commands
	publicDir: false,
	logLevel: 'warn',
	build: {
		ssr: true,
		target: 'node20',
		outDir: `${process.env.BUILD_DIR ?? 'build'}/cli`,
		emptyOutDir: true,
		minify: false,
		sourcemap: false,
		rolldownOptions: {
			input: entries,
			external,
			output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js' }
		}
	}
});
