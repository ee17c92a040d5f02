import nock from 'nock';

// Every test talks to nock only; a request nobody mocked fails loudly instead of leaving the machine.
nock.disableNetConnect();

afterEach(() => {
	nock.cleanAll();
});
