/**
 * Preloaded into the app by the bench (`--import`): the bench holds the other end of the app's
 * stdin, so when the bench dies, even by SIGKILL, the pipe closes and the app stops as it does on
 * SIGTERM, taking its FerretDB with it. The app's own code is not touched.
 */
process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.on('error', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.resume();
