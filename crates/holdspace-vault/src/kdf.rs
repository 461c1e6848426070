//! Passphrase key derivation: Argon2id parameters, their allowed range, calibration, and the
//! explicitly selected insecure parameter set for tests.
//!
//! Policy: a header's parameters are checked against [`KdfLimits`] *before* any derivation, so
//! a hostile header can neither downgrade the work factor nor make unlocking exhaust memory.
//! Calibration raises memory first (memory-hardness is the point), then iterations.
//!
//! The insecure test parameter set exists only in builds that test: debug builds, and builds
//! with the `insecure-test-kdf` feature (the benchmarks). Release builds and packages do not
//! contain it at all ([`TEST_KDF_BUILT_IN`] is false there): they cannot make or open a vault
//! with it, and given `HOLDSPACE_INSECURE_TEST_KDF` they refuse to start
//! ([`KdfPolicy::from_env`]). Where it exists it is never a default: it is chosen only through
//! [`KdfPolicy::InsecureTest`], which `from_env` selects when `HOLDSPACE_INSECURE_TEST_KDF=1`
//! and announces on stderr.

use std::time::{Duration, Instant};

use argon2::{Algorithm, Argon2, Params, Version};
use zeroize::Zeroizing;

use crate::error::{Result, VaultError};
use crate::secret::{Passphrase, SymmetricKey, KEY_LEN};

/// Environment variable that selects the insecure test parameter set in builds that have it.
pub const INSECURE_TEST_KDF_ENV: &str = "HOLDSPACE_INSECURE_TEST_KDF";

/// True in builds that contain the insecure test parameter set: debug builds and builds with
/// the `insecure-test-kdf` feature. False in release builds and packages.
pub const TEST_KDF_BUILT_IN: bool = cfg!(any(debug_assertions, feature = "insecure-test-kdf"));

/// A release build was started with [`INSECURE_TEST_KDF_ENV`] set: it refuses to start.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "{INSECURE_TEST_KDF_ENV} is set, but this is a release build, which never uses insecure \
     test key settings; unset it and start again"
)]
pub struct TestKdfRefused;

/// Argon2id cost parameters as recorded in the vault header.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub memory_kib: u32,
    /// Number of passes over memory.
    pub iterations: u32,
    /// Degree of parallelism (lanes).
    pub parallelism: u32,
}

impl KdfParams {
    /// The production floor: 64 MiB, 3 iterations, 1 lane.
    pub const FLOOR: KdfParams = KdfParams {
        memory_kib: 64 * 1024,
        iterations: 3,
        parallelism: 1,
    };
    /// The production cap: beyond this a header is treated as a denial-of-service attempt.
    pub const CAP: KdfParams = KdfParams {
        memory_kib: 1024 * 1024,
        iterations: 16,
        parallelism: 4,
    };
    /// Insecure parameters for tests only (selected through [`KdfPolicy::InsecureTest`]).
    #[cfg(any(debug_assertions, feature = "insecure-test-kdf"))]
    pub const INSECURE_TEST: KdfParams = KdfParams {
        memory_kib: 64,
        iterations: 1,
        parallelism: 1,
    };
}

/// The range of parameters a vault may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KdfLimits {
    /// Every parameter must be at least this.
    pub floor: KdfParams,
    /// Every parameter must be at most this.
    pub cap: KdfParams,
}

impl KdfLimits {
    /// The limits every real vault is held to.
    pub const PRODUCTION: KdfLimits = KdfLimits {
        floor: KdfParams::FLOOR,
        cap: KdfParams::CAP,
    };
    /// The limits while the insecure test policy is selected: the floor drops to the test set.
    #[cfg(any(debug_assertions, feature = "insecure-test-kdf"))]
    pub const INSECURE_TEST: KdfLimits = KdfLimits {
        floor: KdfParams::INSECURE_TEST,
        cap: KdfParams::CAP,
    };

    /// Refuses parameters outside `[floor, cap]`, naming the first bound broken.
    pub fn check(&self, p: &KdfParams) -> Result<()> {
        let fields = [
            (
                "memory",
                p.memory_kib,
                self.floor.memory_kib,
                self.cap.memory_kib,
            ),
            (
                "iterations",
                p.iterations,
                self.floor.iterations,
                self.cap.iterations,
            ),
            (
                "parallelism",
                p.parallelism,
                self.floor.parallelism,
                self.cap.parallelism,
            ),
        ];
        for (name, value, floor, cap) in fields {
            if value < floor {
                return Err(out_of_bounds(format!(
                    "{name} {value} is below the minimum {floor}"
                )));
            }
            if value > cap {
                return Err(out_of_bounds(format!(
                    "{name} {value} is above the maximum {cap}"
                )));
            }
        }
        Ok(())
    }
}

fn out_of_bounds(reason: String) -> VaultError {
    VaultError::KdfOutOfBounds { reason }
}

/// How a vault chooses and checks its key-derivation parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KdfPolicy {
    /// Calibrate to about [`TARGET_DERIVATION_TIME`] on this machine; production limits.
    Calibrated,
    /// Fixed parameters (at least the production floor); production limits. For benchmarks and
    /// fixtures that need a known cost.
    Fixed(KdfParams),
    /// The tiny test parameter set and the lowered floor. Never a default, and absent from
    /// release builds.
    #[cfg(any(debug_assertions, feature = "insecure-test-kdf"))]
    InsecureTest,
}

/// What the environment asks for, decided apart from the policy type so that every case can
/// be tested in a build that has the test set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum EnvChoice {
    Calibrated,
    InsecureTest,
    Refuse,
}

/// The choice for the variable's value (`None` when unset) in a build that does or does not
/// contain the test set: a release build refuses any value at all, rather than ignore a
/// setting someone believed was in force.
fn env_choice(value: Option<&std::ffi::OsStr>, test_kdf_built_in: bool) -> EnvChoice {
    match (value, test_kdf_built_in) {
        (None, _) => EnvChoice::Calibrated,
        (Some(_), false) => EnvChoice::Refuse,
        (Some(v), true) if v == "1" => EnvChoice::InsecureTest,
        (Some(_), true) => EnvChoice::Calibrated,
    }
}

/// The scrypt work factor (log2 N) of passphrase backups made under the test policy: about
/// a millisecond.
#[cfg(any(debug_assertions, feature = "insecure-test-kdf"))]
const INSECURE_TEST_AGE_LOG_N: u8 = 10;

/// The time one derivation should take after calibration.
pub const TARGET_DERIVATION_TIME: Duration = Duration::from_secs(1);

/// The most memory calibration will choose; beyond it, iterations rise instead.
const CALIBRATION_MEMORY_CEILING_KIB: u32 = 512 * 1024;

impl KdfPolicy {
    /// The policy the environment selects: [`KdfPolicy::Calibrated`], or in a build that has
    /// the test set and `HOLDSPACE_INSECURE_TEST_KDF=1`, [`KdfPolicy::InsecureTest`] (with a
    /// warning on stderr). A release build given the variable at all refuses: the binaries
    /// call this first and stop with its one line.
    pub fn from_env() -> std::result::Result<Self, TestKdfRefused> {
        let value = std::env::var_os(INSECURE_TEST_KDF_ENV);
        match env_choice(value.as_deref(), TEST_KDF_BUILT_IN) {
            EnvChoice::Calibrated => Ok(Self::Calibrated),
            EnvChoice::Refuse => Err(TestKdfRefused),
            EnvChoice::InsecureTest => Ok(Self::insecure_test_announced()),
        }
    }

    #[cfg(any(debug_assertions, feature = "insecure-test-kdf"))]
    fn insecure_test_announced() -> Self {
        eprintln!(
            "WARNING: {INSECURE_TEST_KDF_ENV}=1 — using insecure key-derivation settings \
             meant for tests only. Never use this for real records."
        );
        Self::InsecureTest
    }

    #[cfg(not(any(debug_assertions, feature = "insecure-test-kdf")))]
    fn insecure_test_announced() -> Self {
        // `env_choice` never selects the test set in a build without it.
        Self::Calibrated
    }

    /// The limits a header is checked against under this policy.
    pub fn limits(&self) -> KdfLimits {
        match self {
            #[cfg(any(debug_assertions, feature = "insecure-test-kdf"))]
            Self::InsecureTest => KdfLimits::INSECURE_TEST,
            Self::Calibrated | Self::Fixed(_) => KdfLimits::PRODUCTION,
        }
    }

    /// The parameters a new vault (or new passphrase) gets under this policy.
    pub fn choose_params(&self) -> Result<KdfParams> {
        let params = match self {
            #[cfg(any(debug_assertions, feature = "insecure-test-kdf"))]
            Self::InsecureTest => KdfParams::INSECURE_TEST,
            Self::Fixed(p) => *p,
            Self::Calibrated => calibrate(TARGET_DERIVATION_TIME)?,
        };
        self.limits().check(&params)?;
        Ok(params)
    }

    /// The scrypt work factor (log2 N) for passphrase-protected backups under this policy:
    /// `None` for age's own (about a second on this machine); a tiny one only for the test
    /// policy.
    pub fn age_work_factor(&self) -> Option<u8> {
        match self {
            #[cfg(any(debug_assertions, feature = "insecure-test-kdf"))]
            Self::InsecureTest => Some(INSECURE_TEST_AGE_LOG_N),
            Self::Calibrated | Self::Fixed(_) => None,
        }
    }
}

/// Measures one derivation at the floor and scales memory (then iterations) so that one
/// derivation takes about `target`. Argon2's cost is linear in memory × iterations.
pub fn calibrate(target: Duration) -> Result<KdfParams> {
    let floor = KdfParams::FLOOR;
    let started = Instant::now();
    derive_raw(b"calibration", &[0u8; 16], &floor, &[], &[])?;
    let floor_time = started.elapsed().max(Duration::from_millis(1));
    Ok(scale_params(floor, floor_time, target))
}

/// Scales `base` (which took `base_time`) towards `target`: memory first, in whole MiB, up to
/// the calibration ceiling, then iterations. Never goes below `base` or above the cap.
pub fn scale_params(base: KdfParams, base_time: Duration, target: Duration) -> KdfParams {
    let factor = target.as_secs_f64() / base_time.as_secs_f64();
    if factor <= 1.0 {
        return base;
    }
    let wanted_memory = f64::from(base.memory_kib) * factor;
    let ceiling = CALIBRATION_MEMORY_CEILING_KIB.min(KdfParams::CAP.memory_kib);
    let memory_kib =
        (wanted_memory.min(f64::from(ceiling)) as u32 / 1024 * 1024).max(base.memory_kib);
    let remaining = wanted_memory / f64::from(memory_kib);
    let iterations = ((f64::from(base.iterations) * remaining).round() as u32)
        .clamp(base.iterations, KdfParams::CAP.iterations);
    KdfParams {
        memory_kib,
        iterations,
        parallelism: base.parallelism,
    }
}

/// Derives the key-encryption key for `passphrase` with `salt` under already-checked `params`.
pub(crate) fn derive_passphrase_key(
    passphrase: &Passphrase,
    salt: &[u8],
    params: &KdfParams,
) -> Result<SymmetricKey> {
    let out = derive_raw(passphrase.as_bytes(), salt, params, &[], &[])?;
    Ok(SymmetricKey::from_bytes(*out))
}

/// Argon2id (version 0x13) with an optional secret and associated data, 32-byte output. The one
/// primitive every passphrase derivation goes through, and the one the RFC 9106 vectors test.
pub fn derive_raw(
    password: &[u8],
    salt: &[u8],
    params: &KdfParams,
    secret: &[u8],
    associated_data: &[u8],
) -> Result<Zeroizing<[u8; KEY_LEN]>> {
    let mut builder = argon2::ParamsBuilder::new();
    builder
        .m_cost(params.memory_kib)
        .t_cost(params.iterations)
        .p_cost(params.parallelism)
        .output_len(KEY_LEN);
    if !associated_data.is_empty() {
        let data = argon2::AssociatedData::new(associated_data)
            .map_err(|e| out_of_bounds(format!("associated data: {e}")))?;
        builder.data(data);
    }
    let argon_params: Params = builder
        .build()
        .map_err(|e| out_of_bounds(format!("argon2 rejected them: {e}")))?;
    let argon = if secret.is_empty() {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params)
    } else {
        Argon2::new_with_secret(secret, Algorithm::Argon2id, Version::V0x13, argon_params)
            .map_err(|e| out_of_bounds(format!("secret: {e}")))?
    };
    let mut out = Zeroizing::new([0u8; KEY_LEN]);
    argon
        .hash_password_into(password, salt, out.as_mut())
        .map_err(|e| out_of_bounds(format!("argon2 failed: {e}")))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: KdfLimits = KdfLimits::PRODUCTION;

    fn params(m: u32, t: u32, p: u32) -> KdfParams {
        KdfParams {
            memory_kib: m,
            iterations: t,
            parallelism: p,
        }
    }

    #[test]
    fn floor_and_cap_are_inclusive() {
        assert!(P.check(&KdfParams::FLOOR).is_ok());
        assert!(P.check(&KdfParams::CAP).is_ok());
    }

    #[test]
    fn out_of_range_values_are_refused() {
        for bad in [
            params(0, 3, 1),
            params(65535, 3, 1),
            params(65536, 2, 1),
            params(65536, 0, 1),
            params(65536, 3, 0),
            params(1024 * 1024 + 1, 3, 1),
            params(65536, 17, 1),
            params(65536, 3, 5),
            params(u32::MAX, 3, 1),
            params(65536, u32::MAX, 1),
            params(65536, 3, u32::MAX),
        ] {
            assert!(
                matches!(P.check(&bad), Err(VaultError::KdfOutOfBounds { .. })),
                "{bad:?} should be refused"
            );
        }
    }

    #[test]
    fn the_environment_selects_the_test_set_only_in_builds_that_have_it() {
        use std::ffi::OsStr;
        let one = Some(OsStr::new("1"));
        let other = Some(OsStr::new("yes"));
        let empty = Some(OsStr::new(""));
        for (value, built_in, expected) in [
            (None, true, EnvChoice::Calibrated),
            (None, false, EnvChoice::Calibrated),
            (one, true, EnvChoice::InsecureTest),
            (other, true, EnvChoice::Calibrated),
            (one, false, EnvChoice::Refuse),
            (other, false, EnvChoice::Refuse),
            (empty, false, EnvChoice::Refuse),
        ] {
            assert_eq!(
                env_choice(value, built_in),
                expected,
                "{value:?} {built_in}"
            );
        }
        const {
            assert!(
                TEST_KDF_BUILT_IN,
                "tests run in builds that have the test set"
            )
        };
        assert_eq!(
            TestKdfRefused.to_string(),
            "HOLDSPACE_INSECURE_TEST_KDF is set, but this is a release build, which never uses \
             insecure test key settings; unset it and start again"
        );
    }

    #[test]
    fn test_params_pass_only_under_test_limits() {
        assert!(P.check(&KdfParams::INSECURE_TEST).is_err());
        assert!(KdfLimits::INSECURE_TEST
            .check(&KdfParams::INSECURE_TEST)
            .is_ok());
    }

    #[test]
    fn scaling_raises_memory_first_then_iterations() {
        let floor = KdfParams::FLOOR;
        let ms = Duration::from_millis;
        // 200 ms at the floor → 5x: 320 MiB, still 3 iterations.
        assert_eq!(
            scale_params(floor, ms(200), ms(1000)),
            params(320 * 1024, 3, 1)
        );
        // 50 ms → 20x: memory hits the 512 MiB ceiling (8x), iterations take the rest (2.5x).
        assert_eq!(
            scale_params(floor, ms(50), ms(1000)),
            params(512 * 1024, 8, 1)
        );
        // A slow machine never goes below the floor.
        assert_eq!(scale_params(floor, ms(3000), ms(1000)), floor);
        // A very fast machine stops at the cap.
        assert!(P.check(&scale_params(floor, ms(1), ms(1000))).is_ok());
    }
}
