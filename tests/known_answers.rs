//! Known-answer vectors, run through the exact functions the vault calls: Argon2id from
//! RFC 9106 §5.3 through `kdf::derive_raw`, and XChaCha20-Poly1305 from
//! draft-irtf-cfrg-xchacha-03 appendix A.3.1 through `aead::seal_with_nonce` and `aead::open`.
//!
//! Both vectors were checked independently of the crates under test (a from-scratch Argon2id and
//! HChaCha20 over OpenSSL's ChaCha20-Poly1305) before being written here. A failure means the
//! vault's crypto path changed, not that the vector is wrong.

use holdspace::aead::{self, NONCE_LEN, TAG_LEN};
use holdspace::kdf::derive_raw;
use holdspace::secret::SymmetricKey;
use holdspace::KdfParams;

/// RFC 9106 §5.3: Argon2id, version 0x13, 32-byte tag.
#[test]
fn argon2id_rfc9106_vector() {
    let params = KdfParams {
        memory_kib: 32,
        iterations: 3,
        parallelism: 4,
    };
    let tag = derive_raw(&[0x01; 32], &[0x02; 16], &params, &[0x03; 8], &[0x04; 12]).unwrap();
    assert_eq!(
        hex::encode(tag.as_slice()),
        "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"
    );
}

const XCHACHA_KEY: &str = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
const XCHACHA_NONCE: &str = "404142434445464748494a4b4c4d4e4f5051525354555657";
const XCHACHA_AAD: &str = "50515253c0c1c2c3c4c5c6c7";
const XCHACHA_PLAINTEXT: &[u8] = b"Ladies and Gentlemen of the class of '99: If I could offer \
    you only one tip for the future, sunscreen would be it.";
const XCHACHA_CIPHERTEXT: &str = "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb\
    731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b4522f8c9ba40db5d945b11b69b982c1bb\
    9e3f3fac2bc369488f76b2383565d3fff921f9664c97637da9768812f615c68b13b52e";
const XCHACHA_TAG: &str = "c0875924c1c7987947deafd8780acf49";

fn xchacha_key() -> SymmetricKey {
    SymmetricKey::from_bytes(hex::decode(XCHACHA_KEY).unwrap().try_into().unwrap())
}

fn xchacha_nonce() -> [u8; NONCE_LEN] {
    hex::decode(XCHACHA_NONCE).unwrap().try_into().unwrap()
}

/// The sealed form the vault stores: `nonce ‖ ciphertext ‖ tag`.
fn expected_sealed() -> Vec<u8> {
    let mut sealed = xchacha_nonce().to_vec();
    sealed.extend(hex::decode(XCHACHA_CIPHERTEXT).unwrap());
    sealed.extend(hex::decode(XCHACHA_TAG).unwrap());
    sealed
}

#[test]
fn xchacha20poly1305_draft_vector_seals() {
    let aad = hex::decode(XCHACHA_AAD).unwrap();
    let sealed = aead::seal_with_nonce(&xchacha_key(), &xchacha_nonce(), &aad, XCHACHA_PLAINTEXT);
    assert_eq!(hex::encode(&sealed), hex::encode(expected_sealed()));
}

#[test]
fn xchacha20poly1305_draft_vector_opens() {
    let aad = hex::decode(XCHACHA_AAD).unwrap();
    let opened = aead::open(&xchacha_key(), &aad, &expected_sealed()).unwrap();
    assert_eq!(opened.as_slice(), XCHACHA_PLAINTEXT);
}

#[test]
fn xchacha20poly1305_draft_vector_rejects_any_change() {
    let aad = hex::decode(XCHACHA_AAD).unwrap();
    let key = xchacha_key();
    let sealed = expected_sealed();
    // One position in the nonce, the ciphertext and the tag.
    for at in [0, NONCE_LEN + 5, sealed.len() - TAG_LEN / 2] {
        let mut bad = sealed.clone();
        bad[at] ^= 0x01;
        assert_eq!(
            aead::open(&key, &aad, &bad),
            Err(aead::OpenFailed),
            "byte {at}"
        );
    }
    let mut other_aad = aad.clone();
    other_aad[0] ^= 0x01;
    assert_eq!(aead::open(&key, &other_aad, &sealed), Err(aead::OpenFailed));
}
