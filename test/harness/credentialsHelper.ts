import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	IRequestOptionsSimplified,
} from 'n8n-workflow';
import { ICredentialsHelper } from 'n8n-workflow';

import { resolveCredentialExpression } from './credentialExpressions';

/**
 * The part of n8n's credentials helper that a node run uses: it hands out the test's credential
 * data and applies the credential type's `authenticate` block the way n8n does, by resolving
 * its expressions against the credential.
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly credentialType: ICredentialType,
		private readonly data: ICredentialDataDecryptedObject,
	) {
		super();
	}

	/** How often the node asked n8n for the credential (n8n reads its database each time). */
	reads = 0;

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		this.reads++;
		return { ...this.data };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		if (typeName !== this.credentialType.name)
			throw new Error(`Unknown credential type ${typeName}`);
		return applyAuthentication(
			this.credentialType,
			credentials,
			requestOptions as IHttpRequestOptions,
		);
	}

	async preAuthentication(): Promise<undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<undefined> {
		return undefined;
	}

	getParentTypes(): string[] {
		return [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by node runs');
	}

	async updateCredentials(): Promise<void> {}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(): INodeProperties[] {
		return this.credentialType.properties;
	}
}

/** Applies a generic `authenticate` block: each header, query and body value is an expression. */
export function applyAuthentication(
	credentialType: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): IHttpRequestOptions {
	const { authenticate } = credentialType;
	if (authenticate === undefined) return requestOptions;
	if (typeof authenticate === 'function') throw new Error('function authenticate is not supported');
	const options = { ...requestOptions };
	for (const part of ['headers', 'qs', 'body'] as const) {
		const values = authenticate.properties[part];
		if (!values) continue;
		const resolved = Object.fromEntries(
			Object.entries(values).map(([key, value]) => [
				key,
				resolveCredentialExpression(value as string, credentials),
			]),
		);
		options[part] = { ...((options[part] as object | undefined) ?? {}), ...resolved };
	}
	return options;
}
