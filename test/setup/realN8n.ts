// A first run installs n8n (several minutes); each step has its own timeout in the suites.
// (A project's own `testTimeout` in jest.config.js is not applied by Jest 30's runner.)
jest.setTimeout(15 * 60 * 1000);
