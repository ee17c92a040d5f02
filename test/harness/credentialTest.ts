import { OutboundHttp } from '@n8n/backend-network';
import { Container } from '@n8n/di';
import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { resolveCredentialExpression } from './credentialExpressions';
import { applyAuthentication } from './credentialsHelper';

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	statusCode: number;
}

/**
 * What the credential's Test button does: resolve the `test.request` against the entered values,
 * apply the `authenticate` block and send it with n8n's own HTTP client. Any non-2xx fails it.
 */
export async function testCredential(
	credentialType: ICredentialType,
	credentials: ICredentialDataDecryptedObject,
): Promise<CredentialTestResult> {
	const request = credentialType.test?.request;
	if (!request) throw new Error(`${credentialType.name} has no test request`);
	const resolved = Object.fromEntries(
		Object.entries(request).map(([key, value]) => [
			key,
			resolveCredentialExpression(value as string, credentials),
		]),
	) as unknown as IHttpRequestOptions;
	const authenticated = applyAuthentication(credentialType, credentials, {
		...resolved,
		url: resolved.url ?? '',
		ignoreHttpStatusErrors: true,
		returnFullResponse: true,
	});
	const response = (await Container.get(OutboundHttp)
		.requests()
		.request(authenticated)) as IN8nHttpFullResponse;
	const ok = response.statusCode >= 200 && response.statusCode < 300;
	return { status: ok ? 'OK' : 'Error', statusCode: response.statusCode };
}
