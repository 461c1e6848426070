//! Passphrase key derivation: Argon2id parameters, their allowed range, calibration, and the
//! explicitly selected insecure parameter set for tests.
//!
//! Policy: a header's parameters are checked against [`KdfLimits`] *before* any derivation, so
//! a hostile header can neither downgrade the work factor nor make unlocking exhaust memory.
//! Calibration raises memory first (memory-hardness is the point), then iterations. The test
//! parameter set is never a default: it is chosen only through [`KdfPolicy::InsecureTest`],
//! which [`KdfPolicy::from_env`] selects when `HOLDSPACE_INSECURE_TEST_KDF=1` and announces on
//! stderr.

use std::time::{Duration, Instant};

use argon2::{Algorithm, Argon2, Params, Version};
use zeroize::Zeroizing;

use crate::error::{Result, VaultError};
use crate::secret::{Passphrase, SymmetricKey, KEY_LEN};

/// Environment variable that selects [`KdfPolicy::InsecureTest`].
pub const INSECURE_TEST_KDF_ENV: &str = "HOLDSPACE_INSECURE_TEST_KDF";

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
    /// The tiny test parameter set and the lowered floor. Never a default.
    InsecureTest,
}

/// The time one derivation should take after calibration.
pub const TARGET_DERIVATION_TIME: Duration = Duration::from_secs(1);

/// The most memory calibration will choose; beyond it, iterations rise instead.
const CALIBRATION_MEMORY_CEILING_KIB: u32 = 512 * 1024;

impl KdfPolicy {
    /// [`KdfPolicy::InsecureTest`] when `HOLDSPACE_INSECURE_TEST_KDF=1` (with a warning on
    /// stderr), else [`KdfPolicy::Calibrated`].
    pub fn from_env() -> Self {
        if std::env::var(INSECURE_TEST_KDF_ENV).as_deref() == Ok("1") {
            eprintln!(
                "WARNING: {INSECURE_TEST_KDF_ENV}=1 — using insecure key-derivation settings \
                 meant for tests only. Never use this for real records."
            );
            Self::InsecureTest
        } else {
            Self::Calibrated
        }
    }

    /// The limits a header is checked against under this policy.
    pub fn limits(&self) -> KdfLimits {
        match self {
            Self::InsecureTest => KdfLimits::INSECURE_TEST,
            Self::Calibrated | Self::Fixed(_) => KdfLimits::PRODUCTION,
        }
    }

    /// The parameters a new vault (or new passphrase) gets under this policy.
    pub fn choose_params(&self) -> Result<KdfParams> {
        let params = match self {
            Self::InsecureTest => KdfParams::INSECURE_TEST,
            Self::Fixed(p) => *p,
            Self::Calibrated => calibrate(TARGET_DERIVATION_TIME)?,
        };
        self.limits().check(&params)?;
        Ok(params)
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
