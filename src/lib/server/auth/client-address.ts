/**
 * The caller's address as adapter-node sees it (the socket, or ADDRESS_HEADER behind a proxy). A request
 * that lacks the configured header — a health check sent straight to the server, not through the proxy —
 * makes adapter-node throw; it counts as one unknown address instead (sharing one sign-in budget), so the
 * request is still answered.
 */
export function clientAddress(getClientAddress: () => string): string {
	try {
		return getClientAddress();
	} catch {
		return 'onbekend';
	}
}
