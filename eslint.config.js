import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{ ignores: ['build/', 'build-*/', '.svelte-kit/', 'node_modules/', 'tests/.tmp/', 'data/', 'backups/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: { projectService: true, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig }
		}
	},
	{
		rules: {
			// `_`-prefixed names are deliberately unused (destructuring to drop a field)
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }
			],
			// plain anchors and form actions are the app's navigation (works without JavaScript); no client router calls to resolve
			'svelte/no-navigation-without-resolve': 'off',
			// {' · '} keeps a space that Svelte would otherwise trim at the edge of a block
			'svelte/no-useless-mustaches': 'off',
			// URLSearchParams built inside $derived to format a link, never kept as state
			'svelte/prefer-svelte-reactivity': 'off'
		}
	},
	{
		// tests read untyped JSON bodies; migrations are frozen in time and typed Kysely<any> on purpose
		files: ['tests/**', 'db/**'],
		rules: { '@typescript-eslint/no-explicit-any': 'off' }
	}
);
