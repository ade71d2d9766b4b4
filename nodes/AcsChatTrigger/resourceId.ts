import { quoteId, typeName } from '../AcsChat/helpers/idText';

export const RESOURCE_ID_EXAMPLE =
	'/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/my-group/providers/Microsoft.Communication/communicationServices/my-acs';

// ARM reads these segments case-insensitively; the portal shows them as in the example. Resource group names are
// 1-90 letters, digits, underscores, parentheses, hyphens and periods, not ending in a period; ACS resource
// names 1-63 letters, digits and hyphens.
const RESOURCE_ID =
	/^\/subscriptions\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/resourceGroups\/[\w().-]{0,89}[\w()-]\/providers\/Microsoft\.Communication\/communicationServices\/[A-Za-z0-9-]{1,63}$/i;

/**
 * The ACS resource ID as ARM paths use it (trimmed, without a trailing slash), or why it is not one, as a
 * clause following "Resource ID". Checked before any request, so a mistyped ID never becomes a URL.
 */
export function parseResourceId(value: unknown): { resourceId: string } | { problem: string } {
	if (typeof value !== 'string') return { problem: `must be text, got ${typeName(value)}` };
	const resourceId = value.trim().replace(/\/+$/, '');
	if (resourceId === '') {
		return { problem: `is empty: copy it from your Communication Services resource → Properties → Resource ID (${RESOURCE_ID_EXAMPLE})` };
	}
	if (!RESOURCE_ID.test(resourceId)) {
		return {
			problem: `is not the ID of a Communication Services resource: expected ${RESOURCE_ID_EXAMPLE} (the portal shows it under the resource's Properties → Resource ID), got ${quoteId(resourceId, 300)}`,
		};
	}
	return { resourceId };
}
