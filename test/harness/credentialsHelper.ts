import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeProperties,
	IRequestOptionsSimplified,
	Workflow,
} from 'n8n-workflow';
import { ICredentialsHelper } from 'n8n-workflow';

/**
 * What n8n's own CredentialsHelper (packages/cli) does for the parts a node relies on: hands out the stored
 * data, applies a generic `authenticate` by resolving its expressions against `$credentials`, runs
 * `preAuthentication` when the expirable field is empty or the token expired, and persists what it returns.
 * n8n's node test harness skips generic authentication; this one applies it, so auth headers are really sent.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	/** Credential id → its decrypted data, as the database would hold it. */
	readonly stored = new Map<string, ICredentialDataDecryptedObject>();

	preAuthenticationCalls = 0;

	/** What preAuthentication threw, newest last: n8n's credential test shows these to the user. */
	readonly preAuthenticationErrors: unknown[] = [];

	constructor(private readonly types: Record<string, ICredentialType>) {
		super();
	}

	private type(name: string): ICredentialType {
		const type = this.types[name];
		if (!type) throw new Error(`Unknown credential type ${name}`);
		return type;
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
		workflow?: Workflow,
		node?: INode,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.type(typeName);
		const options = requestOptions as IHttpRequestOptions;
		if (typeof authenticate === 'function') return await authenticate(credentials, options);
		if (!authenticate || authenticate.type !== 'generic') return options;
		const resolve = (value: string) =>
			value.startsWith('=') && workflow && node
				? workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '')
				: value;
		for (const [target, entries] of Object.entries(authenticate.properties)) {
			const bucket = ((options as unknown as Record<string, Record<string, unknown>>)[target] ??= {});
			for (const [key, value] of Object.entries(entries as Record<string, string>)) {
				bucket[String(resolve(key))] = resolve(value);
			}
		}
		return options;
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = this.type(typeName);
		if (typeof type.preAuthentication !== 'function') return undefined;
		const expirable = type.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		if (!expirable) return undefined;
		if (!credentialsExpired && credentials[expirable.name] !== '' && credentials[expirable.name] !== undefined) {
			return undefined;
		}
		this.preAuthenticationCalls++;
		let output: ICredentialDataDecryptedObject | undefined;
		try {
			output = (await type.preAuthentication.call(helpers, credentials)) as typeof output;
		} catch (error) {
			this.preAuthenticationErrors.push(error);
			throw error;
		}
		if (output?.[expirable.name] === undefined) return undefined;
		const id = node.credentials?.[typeName]?.id;
		if (id && this.stored.has(id)) this.stored.set(id, { ...this.stored.get(id), ...output });
		return output;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by the node');
	}

	async getDecrypted(
		_additionalData: unknown,
		nodeCredentials: INodeCredentialsDetails,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.stored.get(nodeCredentials.id ?? '');
		if (!data) throw new Error(`No test credential with id ${nodeCredentials.id}`);
		return { ...data };
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return this.type(type).properties;
	}
}
