/** The `operation` values saved in workflows: a public contract, never rename them. */
export type PiggyOperationName = 'sendVerificationEmail' | 'verifyLoginCode' | 'getAuthToken';
