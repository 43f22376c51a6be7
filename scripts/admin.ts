// The first admin, and any role, from the command line: `npm run admin -- grant <email> <role>`.
// Works whether or not the app is running: it uses MONGODB_URI, or the embedded database the running
// app started (never a second FerretDB on the same files), or starts one itself when the app is not up.
import mongoose from 'mongoose';
import { Account } from '../models/index.js';
import { ROLES, type Role } from '../realtime/vocabulary.js';
import { grantRole } from '../server/accounts/people.js';
import { loadConfig } from '../server/platform/config.js';
import { connectDatabase, disconnectDatabase } from '../server/platform/database.js';
import { runningEmbeddedUri, startEmbeddedDatabase, type EmbeddedDatabase } from '../server/platform/embedded-db.js';

const USAGE = `Usage:
  npm run admin -- grant <email> <role>    role: ${ROLES.join(', ')}
  npm run admin -- revoke <email>          back to participant`;

async function main(args: string[]): Promise<string> {
  const [verb, address, roleArg] = args;
  const role = verb === 'revoke' ? 'participant' : roleArg;
  if (!(verb === 'grant' || verb === 'revoke') || !address || !ROLES.includes(role as Role)) throw new Error(USAGE);
  const email = address.trim().toLowerCase();

  const config = loadConfig();
  let embedded: EmbeddedDatabase | null = null;
  let uri = config.MONGODB_URI ?? runningEmbeddedUri(config.DATA_DIR);
  if (!uri) {
    embedded = await startEmbeddedDatabase(config.DATA_DIR);
    uri = embedded.uri;
  }
  try {
    await connectDatabase(uri);
    const account = await Account.findById(email, { user: 1 }).lean();
    if (!account) throw new Error(`No account has the address ${email}: sign up on the site first, then run this again.`);
    await grantRole(account.user.toString(), role as Role, 'command line');
    return `${email} is now ${role === 'participant' ? 'a participant' : `${role === 'admin' ? 'an' : 'a'} ${role}`}. It holds from their next page load (or socket reconnect).`;
  } finally {
    if (mongoose.connection.readyState !== 0) await disconnectDatabase();
    await embedded?.stop();
  }
}

main(process.argv.slice(2)).then(
  (message) => {
    console.log(message);
    process.exit(0);
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
