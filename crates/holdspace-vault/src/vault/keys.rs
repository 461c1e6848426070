//! The passphrase and the recovery code: the header's two key slots that unwrap the data key,
//! changing either, proving a credential from the header alone, and reading and replacing
//! `vault.hdr`.
//!
//! Policy: neither changes the data key (a rotation does); a new passphrase must meet the
//! passphrase rule ([`crate::strength`]), and changing it asks for the current one unless the
//! vault was opened with its recovery code; every change replaces the header in one atomic
//! step, refused first when the disk has no room for it.

use std::fs;
use std::path::Path;

use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use super::{Vault, HEADER_FILE};
use crate::aead;
use crate::error::{Result, VaultError};
use crate::fsutil;
use crate::header::{Header, PASSPHRASE_SLOT_AD, PASSPHRASE_SLOT_LEN};
use crate::kdf::{derive_passphrase_key, KdfPolicy};
use crate::recovery::{self, RecoveryCode};
use crate::room::{self, Need};
use crate::secret::{fill_random, Passphrase, SymmetricKey, KEY_LEN};
use crate::strength::{check_new_passphrase, own_words};

/// What replacing the header writes: its temporary copy.
const HEADER_ROOM: u64 = 4096;

impl Vault {
    /// Replaces `vault.hdr` with `header` (MAC'd under the current data key), if the disk has
    /// room for its temporary copy.
    pub(super) fn replace_header(&self, header: &Header, need: Need) -> Result<()> {
        room::ensure(&self.dir, HEADER_ROOM, need)?;
        fsutil::replace_atomically(&self.dir, HEADER_FILE, &header.to_bytes(&self.data_key))
    }

    /// Replaces the passphrase after checking the current one. The data key is unchanged.
    /// The new passphrase must meet the passphrase rule ([`crate::strength`]).
    pub fn change_passphrase(&mut self, current: &Passphrase, new: &Passphrase) -> Result<()> {
        self.confirm_passphrase(current)?;
        check_new_passphrase(new, &own_words("", ""))?;
        self.set_passphrase(new)
    }

    /// Makes a new recovery code after checking the passphrase: the data key is wrapped to
    /// the new code's public key and the header replaced, so the old code no longer opens the
    /// vault. Returns the new code (show it once) and the header as it was, for
    /// [`Vault::restore_header`] should the caller's own step that belongs with it fail.
    pub fn replace_recovery_code(
        &mut self,
        passphrase: &Passphrase,
    ) -> Result<(RecoveryCode, PreviousHeader)> {
        self.confirm_passphrase(passphrase)?;
        let code = RecoveryCode::generate()?;
        let public = code.public_key();
        let previous = PreviousHeader(self.header.clone());
        let mut header = self.header.clone();
        header.recovery_public = *public.as_bytes();
        header.recovery_slot = recovery::wrap(&self.data_key, &public)?;
        self.replace_header(&header, Need::Ordinary)?;
        self.header = header;
        Ok((code, previous))
    }

    /// Puts back a header kept by [`Vault::replace_recovery_code`] (its recovery code opens
    /// the vault again).
    pub fn restore_header(&mut self, previous: PreviousHeader) -> Result<()> {
        let mut header = previous.0;
        header.high_water = self.header.high_water;
        self.replace_header(&header, Need::Ordinary)?;
        self.header = header;
        Ok(())
    }

    /// Checks that `passphrase` unlocks this vault (a full derivation).
    pub fn confirm_passphrase(&self, passphrase: &Passphrase) -> Result<()> {
        let key = unwrap_with_passphrase(&self.header, passphrase)?;
        if bool::from(key.as_bytes().ct_eq(self.data_key.as_bytes())) {
            Ok(())
        } else {
            Err(VaultError::WrongPassphrase)
        }
    }

    /// Sets a new passphrase on a vault opened with its recovery code, once it meets the
    /// passphrase rule with `own_words` ([`crate::strength::own_words`]) as the words it must not
    /// lean on. Refused with [`VaultError::WrongPassphrase`] when the vault holds its
    /// passphrase key (it was opened with the passphrase, or one was set since): that change
    /// goes through [`Vault::change_passphrase`], which asks for the current one.
    pub fn set_passphrase_after_recovery(
        &mut self,
        new: &Passphrase,
        own_words: &[String],
    ) -> Result<()> {
        if self.passphrase_key.is_some() {
            return Err(VaultError::WrongPassphrase);
        }
        check_new_passphrase(new, own_words)?;
        self.set_passphrase(new)
    }

    /// Wraps the data key under a new passphrase with fresh salt and parameters. The caller
    /// has checked the passphrase rule and has the right to (the current passphrase, or the
    /// recovery code that opened this vault).
    fn set_passphrase(&mut self, new: &Passphrase) -> Result<()> {
        let kdf = self.policy.choose_params()?;
        let mut salt = [0u8; 32];
        fill_random(&mut salt)?;
        let kek = derive_passphrase_key(new, &salt, &kdf)?;
        let mut header = self.header.clone();
        header.kdf = kdf;
        header.passphrase_salt = salt;
        header.passphrase_slot = seal_passphrase_slot(&kek, &self.data_key)?;
        self.replace_header(&header, Need::Ordinary)?;
        self.header = header;
        self.passphrase_key = Some(kek);
        Ok(())
    }
}

/// A vault's header as it was before a change, kept so the change can be undone.
pub struct PreviousHeader(Header);

impl std::fmt::Debug for PreviousHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PreviousHeader")
    }
}

/// A secret that proves the right to act on a vault: its passphrase or its recovery code.
#[derive(Clone, Copy, Debug)]
pub enum Credential<'a> {
    /// The vault's passphrase.
    Passphrase(&'a Passphrase),
    /// The vault's recovery code.
    RecoveryCode(&'a RecoveryCode),
}

/// Proves that `credential` opens the vault in `dir`, from its header alone: the store is not
/// opened, nothing is written, and the vault may be open elsewhere (in this app, unlocked).
/// A header whose fields were changed but whose key slot the credential opens still proves
/// knowledge of the credential, so only a failed unwrap refuses. Errors: the wrong secret
/// ([`VaultError::WrongPassphrase`], [`VaultError::WrongRecoveryCode`]), or why the header
/// cannot be read ([`VaultError::HeaderDamaged`], [`VaultError::NotAVault`], …).
pub fn prove(dir: &Path, credential: Credential<'_>, policy: KdfPolicy) -> Result<()> {
    let header = read_header(dir, policy)?;
    let _data_key = match credential {
        Credential::Passphrase(passphrase) => unwrap_with_passphrase(&header, passphrase)?,
        Credential::RecoveryCode(code) => recovery::unwrap(&header.recovery_slot, code)?,
    };
    Ok(())
}

/// Reads and checks the header of the vault in `dir` without any secret: `Ok` when it is
/// whole (a credential could then be checked against it), else why not.
pub fn check_header(dir: &Path, policy: KdfPolicy) -> Result<()> {
    read_header(dir, policy).map(|_| ())
}

pub(super) fn seal_passphrase_slot(
    kek: &SymmetricKey,
    data_key: &SymmetricKey,
) -> Result<[u8; PASSPHRASE_SLOT_LEN]> {
    let sealed = aead::seal(kek, PASSPHRASE_SLOT_AD, data_key.as_bytes())?;
    let mut slot = [0u8; PASSPHRASE_SLOT_LEN];
    slot.copy_from_slice(&sealed);
    Ok(slot)
}

fn unwrap_with_passphrase(header: &Header, passphrase: &Passphrase) -> Result<SymmetricKey> {
    unwrap_with_passphrase_key(header, passphrase).map(|(key, _)| key)
}

/// The data key, and the key derived from the passphrase that unwrapped it.
pub(super) fn unwrap_with_passphrase_key(
    header: &Header,
    passphrase: &Passphrase,
) -> Result<(SymmetricKey, SymmetricKey)> {
    let kek = derive_passphrase_key(passphrase, &header.passphrase_salt, &header.kdf)?;
    let opened = aead::open(&kek, PASSPHRASE_SLOT_AD, &header.passphrase_slot)
        .map_err(|_| VaultError::WrongPassphrase)?;
    let mut bytes = [0u8; KEY_LEN];
    bytes.copy_from_slice(&opened);
    let key = SymmetricKey::from_bytes(bytes);
    bytes.zeroize();
    Ok((key, kek))
}

pub(super) fn read_header(dir: &Path, policy: KdfPolicy) -> Result<Header> {
    let path = dir.join(HEADER_FILE);
    let bytes = fs::read(&path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => VaultError::NotAVault {
            path: dir.to_path_buf(),
        },
        _ => VaultError::io(format!("could not read {}", path.display()), e),
    })?;
    Header::parse(&bytes, &policy.limits(), dir)
}
