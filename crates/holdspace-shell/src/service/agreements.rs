//! A group's agreement: the editor's page (current text, whether it is signed, who would
//! need to re-sign), publishing, paper signatures and withdrawals.

use holdspace::practice::{
    AgreementSaved, AgreementText, AgreementVersion, GroupId, MemberId, MembershipStatus, Practice,
    PracticeProfile, SignRequest, Signature, SignatureId, SignatureMethod,
};
use serde::Serialize;

use super::Named;
use crate::error::{not_found, AppError};

/// What the agreement editor shows.
#[derive(Clone, Debug, Serialize)]
pub struct AgreementPage {
    /// The group.
    pub group: Named<GroupId>,
    /// The current version.
    pub current: AgreementVersion,
    /// True when someone signed the current version (saving then publishes a new one).
    pub signed: bool,
    /// Members with a live signature of the current version: they must re-sign a new one.
    pub would_need_resigning: Vec<Named<MemberId>>,
    /// The practice heading printed above the agreement, as a client sees it.
    pub profile: PracticeProfile,
}

/// The editor's page for `group`.
pub fn agreement_page(practice: &Practice, group: GroupId) -> Result<AgreementPage, AppError> {
    let name = super::group_name(practice, group);
    let current = practice
        .current_agreement(group)
        .ok_or_else(|| not_found("agreement", group))?
        .clone();
    // Publishing asks current members (active or screened) with a live signature of the
    // current version to re-sign, and those who signed only older versions still need to:
    // the same list the core returns after publishing.
    let state = practice.state();
    let on_roster = |member: MemberId| {
        state.memberships.values().any(|m| {
            m.member == member
                && m.group == group
                && matches!(
                    m.status,
                    MembershipStatus::Active | MembershipStatus::Screened
                )
        })
    };
    let mut who: Vec<MemberId> = state
        .signatures
        .values()
        .filter(|s| s.agreement == current.id && s.withdrawal.is_none() && on_roster(s.member))
        .map(|s| s.member)
        .collect();
    who.extend(practice.members_needing_resigning(group));
    let mut would_need_resigning: Vec<Named<MemberId>> = who
        .into_iter()
        .map(|m| Named {
            id: m,
            name: practice.display_name(m),
        })
        .collect();
    would_need_resigning.sort_by_key(|n| (n.name.to_lowercase(), n.id));
    would_need_resigning.dedup_by_key(|n| n.id);
    Ok(AgreementPage {
        group: Named { id: group, name },
        signed: practice.is_signed(current.id),
        current,
        would_need_resigning,
        profile: practice.profile(),
    })
}

/// What publishing returned, with names for those who must re-sign.
#[derive(Clone, Debug, Serialize)]
pub struct Published {
    /// The core's outcome.
    pub saved: AgreementSaved,
    /// The names of `saved.needs_resigning`.
    pub needs_resigning: Vec<Named<MemberId>>,
}

/// Saves the text: replaces an unsigned current version, or publishes version n+1.
pub fn save_agreement(
    practice: &mut Practice,
    group: GroupId,
    text: AgreementText,
) -> Result<Published, AppError> {
    let today = practice.today();
    let saved = practice.save_agreement(group, text, today)?;
    let needs_resigning = saved
        .needs_resigning
        .iter()
        .map(|m| Named {
            id: *m,
            name: practice.display_name(*m),
        })
        .collect();
    Ok(Published {
        saved,
        needs_resigning,
    })
}

/// Records that a member signed the current version on paper (the copy is on file).
pub fn record_paper_signature(
    practice: &mut Practice,
    member: MemberId,
    group: GroupId,
    typed_name: String,
) -> Result<Signature, AppError> {
    let current = practice
        .current_agreement(group)
        .ok_or_else(|| not_found("agreement", group))?;
    let request = SignRequest {
        member,
        agreement: current.id,
        acknowledged: vec![true; current.text.clauses.len()],
        typed_name,
        method: SignatureMethod::PaperCopy,
        discuss: Vec::new(),
    };
    Ok(practice.sign(request)?)
}

/// Withdraws a signature (it stays on record, marked withdrawn).
pub fn withdraw_signature(
    practice: &mut Practice,
    signature: SignatureId,
    reason: &str,
) -> Result<Signature, AppError> {
    Ok(practice.withdraw_signature(signature, reason)?)
}

/// Records that the practitioner has talked with the member about rule `clause`, which they
/// asked about when they signed.
pub fn mark_talked_about(
    practice: &mut Practice,
    signature: SignatureId,
    clause: usize,
) -> Result<Signature, AppError> {
    Ok(practice.mark_talked_about(signature, clause)?)
}
