import { maskAddress } from '../../domain/masking.js';
import type { PiiCipher } from '../../security/pii-cipher.js';

/**
 * An address is personal data (第六条). Contacts have no address column, so it goes into meta twice: masked,
 * which is what the agent's screen shows, and encrypted in full for a later audited reveal (none exists yet
 * for contacts; the disposition form asks the agent for the ticket's address).
 */
export function addressMeta(cipher: PiiCipher, address: string | null | undefined): Record<string, string> {
  if (!address) return {};
  return { address: maskAddress(address)!, addressEnc: cipher.encrypt(address) };
}
