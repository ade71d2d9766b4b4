/**
 * The Azure clouds the service-principal credential can sign in to: where Entra ID issues tokens (authority host),
 * where Azure Resource Manager answers (ARM host) and the scope a token for ARM is asked with. One table serves
 * both readers: the credential builds its hidden token URL and scope expressions from it (n8n evaluates those
 * before it fetches a token), and the node reads its ARM host from it. A Custom cloud names both hosts and the
 * scope itself, which is also how tests point the credential at the offline emulator.
 */
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { isLoopback } from '../AcsChat/transport/endpoint';

export interface Cloud {
	name: string;
	authorityHost: string;
	armHost: string;
}

export const CLOUDS = {
	azurePublic: {
		name: 'Azure Public',
		authorityHost: 'https://login.microsoftonline.com',
		armHost: 'https://management.azure.com',
	},
	azureUsGovernment: {
		name: 'Azure US Government',
		authorityHost: 'https://login.microsoftonline.us',
		armHost: 'https://management.usgovcloudapi.net',
	},
	azureChina: {
		name: 'Azure China (21Vianet)',
		authorityHost: 'https://login.chinacloudapi.cn',
		armHost: 'https://management.chinacloudapi.cn',
	},
} satisfies Record<string, Cloud>;

export type CloudKey = keyof typeof CLOUDS | 'custom';

export const DEFAULT_CLOUD: CloudKey = 'azurePublic';

/** ARM's audience in the public cloud; a Custom cloud starts from it (the emulator accepts it too). */
export const DEFAULT_ARM_SCOPE = `${CLOUDS.azurePublic.armHost}/.default`;

/** A token for ARM is asked for `{ARM host}/.default`: every permission the principal was granted there. */
export function armScope(cloud: Cloud): string {
	return `${cloud.armHost}/.default`;
}

/**
 * An n8n expression body choosing a value by `<source>["cloud"]`: the table's clouds first, then `custom` (an
 * expression of its own). `source` is `$self` in the credential's own fields and `$credentials` in its test.
 */
export function byCloud(source: string, pick: (cloud: Cloud) => string, custom: string): string {
	return Object.entries(CLOUDS).reduceRight(
		(otherwise, [key, cloud]) => `${source}["cloud"] === ${JSON.stringify(key)} ? ${JSON.stringify(pick(cloud))} : (${otherwise})`,
		custom,
	);
}

/** A host field of the Custom cloud, as an expression: trimmed, without trailing slashes. */
export function customHost(source: string, field: 'authorityHost' | 'armHost'): string {
	return `String(${source}["${field}"] ?? "").trim().replace(/\\/+$/, "")`;
}

/**
 * A Custom cloud's host: an origin (scheme, host, port), https, or plain http on loopback only (the emulator),
 * since the client secret and the tokens travel to these hosts. Returns the origin or the problem as a clause.
 */
export function parseHost(value: unknown): { origin: string } | { problem: string } {
	const raw = typeof value === 'string' ? value.trim() : '';
	if (raw === '') return { problem: 'is empty: the Custom cloud needs it' };
	if (!/^https?:\/\//i.test(raw) || !URL.canParse(raw)) return { problem: 'must be a URL starting with https://' };
	const url = new URL(raw);
	if (url.pathname.replace(/\/+$/, '') !== '' || url.username || url.password || url.search || url.hash) {
		return { problem: 'must be only scheme, host and port (no path, user info, query or fragment)' };
	}
	if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
		return { problem: 'must use https:// (plain http is accepted only for localhost, 127.0.0.0/8 and [::1])' };
	}
	return { origin: url.origin };
}

/** The ARM origin the credential's cloud names, or the problem with the field it comes from. */
export function armOrigin(
	credentials: ICredentialDataDecryptedObject,
): { origin: string } | { field: string; problem: string } {
	const key = (credentials.cloud ?? DEFAULT_CLOUD) as CloudKey;
	if (key !== 'custom') {
		const cloud = (CLOUDS as Record<string, Cloud>)[key];
		if (!cloud) return { field: 'Cloud', problem: `is not one this node knows (${String(key)})` };
		return { origin: cloud.armHost };
	}
	const authority = parseHost(credentials.authorityHost);
	if ('problem' in authority) return { field: 'Authority Host', problem: authority.problem };
	const arm = parseHost(credentials.armHost);
	if ('problem' in arm) return { field: 'Resource Manager Host', problem: arm.problem };
	return arm;
}
