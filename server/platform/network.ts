import { createHmac, randomBytes } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import { Secret } from '../../models/index.js';
import { isDuplicateKey } from './database.js';

const NETWORK_KEY_ID = 'network-key';
/** Addresses whose network hash is kept at hand. */
const KNOWN_ADDRESSES = 10_000;

/**
 * Which network a request came from, as a keyed hash of its /24 (IPv4) or /48 (IPv6): enough to see
 * many requests from one place (a script, or a hall on one wifi), never the address itself, and not
 * reversible without the key, which lives only in the database. The key is made once (insert-only
 * under its `_id`, so two servers starting together agree on one) and never changes, so a network's
 * hash stays the same across restarts and servers.
 */
export class Networks {
  private key: Buffer | null = null;
  /**
   * Hashes by address, the most recent kept: every command asks for its caller's network, and an
   * HMAC per vote was a real share of the vote's cost. Oldest first, so the first is dropped when full.
   */
  private readonly known = new Map<string, string | null>();

  async load(): Promise<void> {
    try {
      await Secret.create({ _id: NETWORK_KEY_ID, value: randomBytes(32).toString('base64') });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    const secret = await Secret.findById(NETWORK_KEY_ID).lean();
    this.key = Buffer.from(secret!.value, 'base64');
  }

  /** The network's hash, or null when the address is unknown or not an address. */
  of(address: string | null): string | null {
    if (!address || !this.key) return null;
    const known = this.known.get(address);
    if (known !== undefined) return known;
    const prefix = networkPrefix(address);
    const network = prefix ? createHmac('sha256', this.key).update(prefix).digest('base64url').slice(0, 16) : null;
    if (this.known.size >= KNOWN_ADDRESSES) this.known.delete(this.known.keys().next().value!);
    this.known.set(address, network);
    return network;
  }
}

/** The address's /24 or /48; an IPv4 address written as IPv6 (`::ffff:10.1.2.3`) counts as IPv4. */
export function networkPrefix(address: string): string | null {
  if (!ipaddr.isValid(address)) return null;
  const ip = ipaddr.process(address);
  if (ip.kind() === 'ipv4') return `${ip.toByteArray().slice(0, 3).join('.')}.0/24`;
  const parts = (ip as ipaddr.IPv6).parts.slice(0, 3).map((part) => part.toString(16));
  return `${parts.join(':')}::/48`;
}
