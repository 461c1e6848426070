//! Agreement versions and signatures: editing and publishing, signing, withdrawing, and who
//! must sign or re-sign.
//!
//! Policy: editing a version nobody has signed replaces its text in place; editing a signed
//! version publishes version n+1 (the signed one never changes — `Practice::commit` refuses
//! it on every path). A signature copies the version's number and content hash, needs every
//! clause acknowledged, and is withdrawn by recording a withdrawal, never by deletion.

use time::Date;

use super::agreement::{content_hash, signature_state, SignatureState};
use super::ids::*;
use super::kind::RecordKind;
use super::model::*;
use super::rules::Validate;
use super::state::Stored;
use super::unlocked::{Practice, PracticeResult};
use super::validate::Invalid;

/// A signature as the client (or the practitioner, for a paper copy) gives it.
#[derive(Clone, Debug)]
pub struct SignRequest {
    /// Who signs.
    pub member: MemberId,
    /// The version being signed (must be the group's current one).
    pub agreement: AgreementId,
    /// The full name as typed.
    pub typed_name: String,
    /// Client mode or paper copy.
    pub method: SignatureMethod,
    /// One acknowledgement per clause; all must be true.
    pub acknowledged: Vec<bool>,
    /// Clauses the member wants to talk about.
    pub discuss: Vec<usize>,
}

/// The outcome of saving an agreement's text.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct AgreementSaved {
    /// The version now current.
    pub version: AgreementVersion,
    /// True when a new version was published (the previous one had been signed).
    pub published_new_version: bool,
    /// Members who signed an earlier version and now need to re-sign.
    pub needs_resigning: Vec<MemberId>,
    /// True when the text and date were those of the current version already: nothing was
    /// saved, no version was published, nobody was asked to sign again.
    pub unchanged: bool,
}

impl Practice {
    /// The group's current (highest-numbered) agreement version.
    pub fn current_agreement(&self, group: GroupId) -> Option<&AgreementVersion> {
        self.state
            .agreements
            .values()
            .filter(|a| a.group == group)
            .max_by_key(|a| a.number)
    }

    /// All versions of a group's agreement, oldest first.
    pub fn agreement_history(&self, group: GroupId) -> Vec<&AgreementVersion> {
        let mut versions: Vec<_> = self
            .state
            .agreements
            .values()
            .filter(|a| a.group == group)
            .collect();
        versions.sort_by_key(|a| a.number);
        versions
    }

    /// Saves new agreement text for a group: in place when the current version is unsigned,
    /// else as a new version. The same text and date as the current version change nothing
    /// (a signed version is not republished, and nobody is asked to sign again).
    pub fn save_agreement(
        &mut self,
        group: GroupId,
        text: AgreementText,
        effective_date: Date,
    ) -> PracticeResult<AgreementSaved> {
        text.validate(self.today())?;
        Self::found(&self.state.groups, &group, RecordKind::Group)?;
        let current = self.current_agreement(group).cloned();
        if let Some(same) = current
            .as_ref()
            .filter(|c| c.content_hash == content_hash(&text) && c.effective_date == effective_date)
        {
            return Ok(AgreementSaved {
                version: same.clone(),
                published_new_version: false,
                needs_resigning: self.members_needing_resigning(group),
                unchanged: true,
            });
        }
        let (version, published) = match current {
            Some(c) if !self.is_signed(c.id) => (
                AgreementVersion {
                    text,
                    effective_date,
                    ..c
                },
                false,
            ),
            other => {
                let number = other.map_or(1, |c| c.number + 1);
                let id = AgreementId::random();
                let hash = String::new();
                (
                    AgreementVersion {
                        id,
                        group,
                        number,
                        text,
                        effective_date,
                        content_hash: hash,
                    },
                    true,
                )
            }
        };
        let version = AgreementVersion {
            content_hash: content_hash(&version.text),
            ..version
        };
        let record = Stored::Agreement(version.clone());
        let detail = format!("version {}", version.number);
        let action = if published {
            AuditAction::Created
        } else {
            AuditAction::Changed
        };
        let event = self.event(action, Some(&record), &detail);
        self.commit(vec![record], Vec::new(), event)?;
        let needs_resigning = self.members_needing_resigning(group);
        Ok(AgreementSaved {
            version,
            published_new_version: published,
            needs_resigning,
            unchanged: false,
        })
    }

    /// True when `member` holds a place in `group` now: any status but completed or
    /// withdrawn. Signing and client mode both ask it.
    pub fn on_roster_now(&self, member: MemberId, group: GroupId) -> bool {
        self.state
            .memberships
            .values()
            .any(|m| m.member == member && m.group == group && !m.status.is_final())
    }

    /// Whether `member` may sign `version` now, the one rule for every door (client mode and
    /// paper alike): they are on the group's roster — a membership that is neither completed
    /// nor withdrawn — and hold no signature in force on this very version.
    pub fn may_sign(&self, member: MemberId, version: &AgreementVersion) -> PracticeResult<()> {
        if !self.on_roster_now(member, version.group) {
            return Err(Invalid::new(
                "member",
                "is not on this group's roster now (their membership is completed or withdrawn), so they can't sign",
            )
            .into());
        }
        let signed = self
            .state
            .signatures
            .values()
            .any(|s| s.member == member && s.agreement == version.id && s.withdrawal.is_none());
        if signed {
            return Err(Invalid::new(
                "member",
                format!(
                    "has already signed version {} of this agreement; there is nothing new to sign",
                    version.number
                ),
            )
            .into());
        }
        Ok(())
    }

    /// Records a signature on the group's current version.
    pub fn sign(&mut self, request: SignRequest) -> PracticeResult<Signature> {
        let version = Self::found(
            &self.state.agreements,
            &request.agreement,
            RecordKind::Agreement,
        )?
        .clone();
        Self::found(&self.state.members, &request.member, RecordKind::Member)?;
        if self.current_agreement(version.group).map(|c| c.id) != Some(version.id) {
            return Err(Invalid::new("agreement", "only the current version can be signed").into());
        }
        self.may_sign(request.member, &version)?;
        if request.acknowledged.len() != version.text.clauses.len()
            || request.acknowledged.contains(&false)
        {
            return Err(Invalid::new(
                "acknowledged",
                "every clause must be acknowledged before signing",
            )
            .into());
        }
        if let Some(bad) = request
            .discuss
            .iter()
            .find(|i| **i >= version.text.clauses.len())
        {
            return Err(Invalid::new("discuss", format!("there is no clause {}", bad + 1)).into());
        }
        let signature = Signature {
            id: SignatureId::random(),
            member: request.member,
            group: version.group,
            agreement: version.id,
            version_number: version.number,
            content_hash: version.content_hash.clone(),
            typed_name: request.typed_name.trim().to_owned(),
            signed_at: self.now(),
            method: request.method,
            acknowledged: request.acknowledged,
            discuss: request.discuss,
            talked_about: Vec::new(),
            withdrawal: None,
        };
        signature.validate(self.today())?;
        let record = Stored::Signature(signature.clone());
        let detail = format!("version {}", version.number);
        let event = self.event(AuditAction::SignatureCaptured, Some(&record), &detail);
        self.commit(vec![record], Vec::new(), event)?;
        Ok(signature)
    }

    /// Withdraws a signature; the signature stays on record with the withdrawal.
    pub fn withdraw_signature(
        &mut self,
        signature: SignatureId,
        reason: &str,
    ) -> PracticeResult<Signature> {
        let mut s = Self::found(&self.state.signatures, &signature, RecordKind::Signature)?.clone();
        if s.withdrawal.is_some() {
            return Err(Invalid::new("signature", "has already been withdrawn").into());
        }
        s.withdrawal = Some(Withdrawal {
            at: self.now(),
            reason: reason.trim().to_owned(),
        });
        s.validate(self.today())?;
        let record = Stored::Signature(s.clone());
        let event = self.event(AuditAction::Changed, Some(&record), "signature withdrawn");
        self.commit(vec![record], Vec::new(), event)?;
        Ok(s)
    }

    /// Where `member` stands with `group`'s current agreement.
    pub fn signature_state(&self, member: MemberId, group: GroupId) -> SignatureState {
        let current = self.current_agreement(group).map(|a| a.number);
        let signatures = self
            .state
            .signatures
            .values()
            .filter(|s| s.member == member && s.group == group);
        signature_state(current, signatures)
    }

    /// Members on the roster (screened or active) who have never signed.
    pub fn members_needing_signature(&self, group: GroupId) -> Vec<MemberId> {
        self.roster_members_in_state(group, |s| s == SignatureState::NeedsSignature)
    }

    /// Members on the roster (screened or active) who signed an older version only.
    pub fn members_needing_resigning(&self, group: GroupId) -> Vec<MemberId> {
        self.roster_members_in_state(group, |s| {
            matches!(s, SignatureState::NeedsResigning { .. })
        })
    }

    fn roster_members_in_state(
        &self,
        group: GroupId,
        wanted: impl Fn(SignatureState) -> bool,
    ) -> Vec<MemberId> {
        let mut members: Vec<MemberId> = self
            .state
            .memberships
            .values()
            .filter(|m| {
                m.group == group
                    && matches!(
                        m.status,
                        MembershipStatus::Active | MembershipStatus::Screened
                    )
            })
            .map(|m| m.member)
            .filter(|member| wanted(self.signature_state(*member, group)))
            .collect();
        members.sort();
        members.dedup();
        members
    }
}
