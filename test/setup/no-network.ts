import nock from 'nock';

// Every test talks to nock only; a request nobody mocked fails loudly instead of leaving the machine.
if (!nock.isActive()) nock.activate();
nock.disableNetConnect();

afterEach(() => {
	nock.cleanAll();
});

// Jest gives each test file its own copy of nock, but they all patch Node's one `http` module:
// hand it back so the next file's copy is the one intercepting.
afterAll(() => {
	nock.restore();
});
