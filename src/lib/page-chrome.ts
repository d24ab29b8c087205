/**
 * Pages shown without the app around them, by route id (one definition for the layouts):
 * a poll's public page — respondents are children without an account — and a poll's full screen and live
 * results, which go on a classroom screen.
 */
export const isRespondentPage = (routeId: string | null): boolean => routeId?.startsWith('/peiling/') ?? false;

export const isClassroomScreen = (routeId: string | null): boolean =>
	/\/peilingen\/\[id\]\/(scherm|live)$/.test(routeId ?? '');
