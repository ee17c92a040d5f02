// At the end of a run, plain lines CI tools read as the result: one per project that ran, with how
// many suites and tests it ran (a suite left out by a pattern shows here), then the totals.
const compatEngine = require('./compatEngine');

const ENGINES = { compat: `on ${compatEngine.PACKAGES.join(' and ')}` };

function counts({ passed, failed, skipped }) {
	return `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
}

class SummaryReporter {
	constructor() {
		this.projects = new Map();
	}

	onTestResult(test, result) {
		const name = test.context.config.displayName?.name ?? 'tests';
		const project = this.projects.get(name) ?? { suites: 0, passed: 0, failed: 0, skipped: 0 };
		project.suites += 1;
		project.passed += result.numPassingTests;
		// A suite that could not run at all counts as one failure.
		project.failed += result.numFailingTests + (result.testExecError ? 1 : 0);
		project.skipped += result.numPendingTests + result.numTodoTests;
		this.projects.set(name, project);
	}

	onRunComplete(_contexts, results) {
		const lines = [...this.projects].map(([name, project]) => {
			const engine = ENGINES[name] ? ` ${ENGINES[name]}` : '';
			return `jest: ${name}${engine}: ${project.suites} suites, ${counts(project)}`;
		});
		const total = {
			passed: results.numPassedTests,
			failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
			skipped: results.numPendingTests + results.numTodoTests,
		};
		lines.push(`jest: ${results.numTotalTestSuites} suites, ${counts(total)}`);
		process.stdout.write(`${lines.join('\n')}\n`);
	}
}

module.exports = SummaryReporter;
