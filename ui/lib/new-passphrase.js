// A new passphrase, as creating a vault asks for it: the passphrase with the strength meter
// under it, then the same passphrase again. The fields are named "passphrase" and
// "confirmation", the names the shell's errors (too_weak, confirmation_mismatch) point at.
// Used by setup.js (a new vault), restore.js (a restored vault) and backup-copy.js (a copy
// protected by its own passphrase).

import { field } from './ui.js';
import { strengthMeter } from './strength.js';

/**
 * Builds the two fields and the meter. Returns {nodes, read, clear}: `nodes` go into the form
 * in order; `read()` gives {passphrase, confirmation} for the call that needs them (never keep
 * them); `clear()` empties both once they have been used.
 */
export function newPassphraseFields({ label = 'Passphrase', confirmLabel = 'Type it again', autofocus = false, testIds = {} } = {}) {
  const passphrase = field({ label, name: 'passphrase', kind: 'password', required: true, attrs: { autocomplete: 'new-password', 'data-autofocus': autofocus, 'data-testid': testIds.passphrase } });
  const confirmation = field({ label: confirmLabel, name: 'confirmation', kind: 'password', required: true, attrs: { autocomplete: 'new-password', 'data-testid': testIds.confirmation } });
  const input = passphrase.querySelector('input');
  const again = confirmation.querySelector('input');
  return {
    nodes: [passphrase, strengthMeter(input), confirmation],
    read: () => ({ passphrase: input.value, confirmation: again.value }),
    clear() {
      input.value = '';
      again.value = '';
      input.dispatchEvent(new Event('input'));
    },
  };
}
