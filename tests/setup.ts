import { log } from '../server/platform/log.js';

// Quiet in the test process unless asked (LOG_LEVEL=debug npx vitest ...): the validation tests alone
// log hundreds of refused requests. Set here, not in the environment, so the apps that tests spawn
// still print the lines the tests wait for.
log.level = process.env.LOG_LEVEL ?? 'silent';
