'use strict';

const crypto = require('node:crypto');
const { send } = require('./respond');

/** The published development identity of the emulator's service principal; never use it anywhere else. */
const DEV_TENANT_ID = '5e1ec7ed-0000-4000-8000-000000007e17';
const DEV_CLIENT_ID = '5e1ec7ed-0000-4000-8000-00000000c11e';
const DEV_CLIENT_SECRET = 'acs~chat~emulator~development~secret~never~use~elsewhere';
/** The principal's object id, which ARM names in an AuthorizationFailed message. */
const DEV_PRINCIPAL_OBJECT_ID = '5e1ec7ed-0000-4000-8000-0000000005b1';

/** Audiences a token for Azure Resource Manager may be issued for (ARM accepts all four). */
const ARM_AUDIENCES = ['https://management.azure.com/', 'https://management.azure.com', 'https://management.core.windows.net/', 'https://management.core.windows.net'];
/** Entra's default lifetime for an app token is 60 to 90 minutes; 3599 s is what it answers for client credentials. */
const DEFAULT_TOKEN_LIFETIME_SECONDS = 3599;

/**
 * Microsoft Entra ID's v2.0 token endpoint for one tenant and one app registration, client credentials
 * only: `POST /{tenant}/oauth2/v2.0/token` with the client id and secret in the form (client_secret_post)
 * or in Basic auth (client_secret_basic), and the OpenID metadata document MSAL reads first. Tokens are
 * JWTs signed with a key made at start (HS256, unlike Entra's RS256): only this emulator's ARM reads them,
 * through verify(). State: that key and the lifetime setting, both kept across resets, so a token a client
 * holds stays good until it expires, as at Entra. Errors carry Entra's body and AADSTS codes.
 */
function createEntra({ tenantId = DEV_TENANT_ID, clientId = DEV_CLIENT_ID, clientSecret = DEV_CLIENT_SECRET, tokenLifetimeSeconds = DEFAULT_TOKEN_LIFETIME_SECONDS } = {}) {
	const signingKey = crypto.randomBytes(32);
	let lifetime = tokenLifetimeSeconds;

	const sameTenant = (value) => value.toLowerCase() === tenantId.toLowerCase();
	const handles = (segments) =>
		segments.length === 4 && segments[1] === 'oauth2' && segments[2] === 'v2.0' && segments[3] === 'token'
			? true
			: segments.length === 4 && segments[1] === 'v2.0' && segments[2] === '.well-known' && segments[3] === 'openid-configuration';

	/** Entra's error body: a code in `error`, the AADSTS number in both the description and `error_codes`. */
	function fail(res, status, error, aadsts, description) {
		const traceId = crypto.randomUUID();
		const correlationId = crypto.randomUUID();
		const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
		send(res, status, {
			error,
			error_description: `AADSTS${aadsts}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
			error_codes: [aadsts],
			timestamp,
			trace_id: traceId,
			correlation_id: correlationId,
			error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
		});
	}

	function handle(ctx, segments) {
		const [tenant] = segments;
		if (!sameTenant(tenant)) {
			return fail(ctx.res, 400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
		}
		if (segments[1] === 'v2.0') return openIdConfiguration(ctx);
		if (ctx.req.method !== 'POST') {
			return fail(ctx.res, 400, 'invalid_request', 900561, `The endpoint only accepts POST, OPTIONS requests. Received a ${ctx.req.method} request.`);
		}
		issue(ctx);
	}

	function openIdConfiguration(ctx) {
		const authority = `${ctx.baseUrl}/${tenantId}`;
		send(ctx.res, 200, {
			issuer: `${authority}/v2.0`,
			token_endpoint: `${authority}/oauth2/v2.0/token`,
			authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
			jwks_uri: `${ctx.baseUrl}/${tenantId}/discovery/v2.0/keys`,
			token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
			response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
			grant_types_supported: ['client_credentials'],
			tenant_region_scope: 'emulator',
		});
	}

	/** client_id and client_secret from the form, or from `Authorization: Basic` (each part form-encoded, RFC 6749 §2.3.1). */
	function clientCredentials(req, form) {
		const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization || '');
		if (!basic) return { id: form.get('client_id'), secret: form.get('client_secret') };
		const [id, ...rest] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
		const decode = (value) => decodeURIComponent(value.replace(/\+/g, ' '));
		return { id: decode(id), secret: decode(rest.join(':')) };
	}

	function issue(ctx) {
		const form = new URLSearchParams(ctx.body.toString('utf8'));
		const grantType = form.get('grant_type');
		if (!grantType) return fail(ctx.res, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
		if (grantType !== 'client_credentials') {
			return fail(ctx.res, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grantType}'. The emulator issues client_credentials tokens only.`);
		}
		const client = clientCredentials(ctx.req, form);
		if (!client.id) return fail(ctx.res, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
		if (client.id.toLowerCase() !== clientId.toLowerCase()) {
			return fail(ctx.res, 400, 'unauthorized_client', 700016, `Application with identifier '${client.id}' was not found in the directory '${tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`);
		}
		if (!client.secret) return fail(ctx.res, 401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
		if (!safeEqual(client.secret, clientSecret)) {
			return fail(ctx.res, 401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`);
		}
		const scopes = (form.get('scope') || '').split(' ').filter(Boolean);
		if (scopes.length !== 1 || !scopes[0].endsWith('/.default')) {
			return fail(ctx.res, 400, 'invalid_scope', 1002012, `The provided value for scope ${scopes.join(' ') || '(none)'} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
		}
		const resource = scopes[0].slice(0, -'/.default'.length);
		if (!ARM_AUDIENCES.includes(resource)) {
			return fail(ctx.res, 400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${tenantId}. This emulator issues tokens for Azure Resource Manager (https://management.azure.com/.default) only.`);
		}
		// The token's audience is the resource as asked for, with or without its trailing slash, as Entra v1 tokens carry it.
		const accessToken = sign({ audience: resource, expiresOnMs: Date.now() + lifetime * 1000 });
		send(ctx.res, 200, { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken }, { 'Cache-Control': 'no-store', Pragma: 'no-cache' });
	}

	/** An app-only token with the claims ARM reads: audience, tenant, app and object id, expiry. */
	function sign({ audience = ARM_AUDIENCES[0], expiresOnMs, issuedAtMs = Date.now() }) {
		const iat = Math.floor(issuedAtMs / 1000);
		const claims = {
			aud: audience,
			iss: `https://sts.windows.net/${tenantId}/`,
			iat,
			nbf: iat,
			exp: Math.floor(expiresOnMs / 1000),
			appid: clientId,
			idtyp: 'app',
			oid: DEV_PRINCIPAL_OBJECT_ID,
			sub: DEV_PRINCIPAL_OBJECT_ID,
			tid: tenantId,
			ver: '1.0',
		};
		const unsigned = `${b64json({ alg: 'HS256', typ: 'JWT' })}.${b64json(claims)}`;
		return `${unsigned}.${crypto.createHmac('sha256', signingKey).update(unsigned).digest('base64url')}`;
	}

	/**
	 * Checks a bearer token the way ARM does, naming ARM's 401 code for each failure.
	 * @returns {{ appId: string, objectId: string } | { code: string, message: string }}
	 */
	function verify(token, nowMs = Date.now()) {
		const parts = token.split('.');
		const expected = parts.length === 3 ? crypto.createHmac('sha256', signingKey).update(`${parts[0]}.${parts[1]}`).digest('base64url') : '';
		let claims;
		try {
			claims = safeEqual(parts[2] ?? '', expected) ? JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) : undefined;
		} catch {
			claims = undefined;
		}
		if (!claims) return { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' };
		if (!ARM_AUDIENCES.includes(claims.aud)) {
			return {
				code: 'InvalidAuthenticationTokenAudience',
				message: `The access token has been obtained for wrong audience or resource '${claims.aud}'. It should exactly match with one of the allowed audiences ${ARM_AUDIENCES.map((a) => `'${a}'`).join(',')}.`,
			};
		}
		if (claims.exp * 1000 <= nowMs) {
			return {
				code: 'ExpiredAuthenticationToken',
				message: `The access token expiry UTC time '${armTime(claims.exp * 1000)}' is earlier than current UTC time '${armTime(nowMs)}'.`,
			};
		}
		return { appId: claims.appid, objectId: claims.oid };
	}

	return {
		handles,
		handle,
		verify,
		sign,
		identity: { tenantId, clientId, clientSecret, principalObjectId: DEV_PRINCIPAL_OBJECT_ID },
		setTokenLifetime(seconds) {
			if (!Number.isInteger(seconds) || seconds < 1) return 'tokenLifetimeSeconds must be a positive integer.';
			lifetime = seconds;
			return undefined;
		},
		tokenLifetime: () => lifetime,
	};
}

function b64json(value) {
	return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function safeEqual(a, b) {
	const left = Buffer.from(String(a));
	const right = Buffer.from(String(b));
	return left.length === right.length && crypto.timingSafeEqual(left, right);
}

/** ARM writes times in its messages as M/D/YYYY h:mm:ss AM/PM (UTC). */
function armTime(ms) {
	const d = new Date(ms);
	const hours = d.getUTCHours();
	const pad = (n) => String(n).padStart(2, '0');
	return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${hours % 12 || 12}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${hours < 12 ? 'AM' : 'PM'}`;
}

module.exports = { createEntra, DEV_TENANT_ID, DEV_CLIENT_ID, DEV_CLIENT_SECRET };
