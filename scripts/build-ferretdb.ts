// Builds the embedded FerretDB (scripts/ferretdb) once; later runs reuse the binary.
// Exit code 0 when the binary is ready, 1 with one readable message when it cannot be built.
import { ensureFerretBinary } from '../server/platform/ferret-binary.js';

try {
  const { path, built } = ensureFerretBinary((message) => console.log(message));
  console.log(built ? `FerretDB built: ${path}` : `FerretDB ready: ${path}`);
} catch (error) {
  console.error(`\n${(error as Error).message}\n`);
  process.exit(1);
}
