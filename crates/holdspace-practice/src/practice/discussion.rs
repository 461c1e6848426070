//! The rules members asked to talk about when they signed, and the practitioner's record of
//! having talked about them.
//!
//! Policy: what counts is a member's newest signature that stands (not withdrawn) for a group
//! they are still in (screened or active): an older signature's questions were settled by the
//! newer one, and a member who left has nobody to talk to. A rule stays "to talk about" until
//! the practitioner marks it, which is added to the signature as a withdrawal is — the
//! member's own answers never change — and is audited. Rules are named by their heading.

use std::collections::HashMap;

use serde::Serialize;
use time::OffsetDateTime;

use super::ids::*;
use super::kind::RecordKind;
use super::model::*;
use super::rules::Validate;
use super::state::Stored;
use super::unlocked::{Practice, PracticeResult};
use super::validate::Invalid;

/// A rule a member asked to talk about that nobody has talked about yet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ToDiscuss {
    /// The member.
    pub member: MemberId,
    /// Their display name.
    pub display_name: String,
    /// The group.
    pub group: GroupId,
    /// The group's name.
    pub group_name: String,
    /// The signature that asked.
    pub signature: SignatureId,
    /// The rule, by its index in the version signed.
    pub clause: usize,
    /// The rule's heading.
    pub heading: String,
    /// When the member signed (and asked).
    #[serde(with = "time::serde::rfc3339")]
    pub asked_at: OffsetDateTime,
}

impl Signature {
    /// The rules this signature asked to talk about that are not yet marked as talked
    /// about, by index, in the agreement's order and each once.
    pub fn open_to_discuss(&self) -> Vec<usize> {
        let mut open: Vec<usize> = self
            .discuss
            .iter()
            .copied()
            .filter(|c| !self.talked_about.iter().any(|t| t.clause == *c))
            .collect();
        open.sort_unstable();
        open.dedup();
        open
    }

    /// When the practitioner marked rule `clause` as talked about, if they have.
    pub fn talked_about_at(&self, clause: usize) -> Option<OffsetDateTime> {
        self.talked_about
            .iter()
            .find(|t| t.clause == clause)
            .map(|t| t.at)
    }
}

impl Practice {
    /// The headings of the rules `member` asked to talk about when they last signed `group`'s
    /// agreement (their newest signature that stands) and nobody has talked about yet, in the
    /// agreement's order.
    pub fn discuss_headings(&self, member: MemberId, group: GroupId) -> Vec<String> {
        self.open_headings(
            self.state
                .signatures
                .values()
                .filter(|s| s.member == member && s.group == group),
        )
    }

    /// [`Practice::discuss_headings`] over one member's signatures in one group.
    pub(super) fn open_headings<'a>(
        &self,
        signatures: impl Iterator<Item = &'a Signature>,
    ) -> Vec<String> {
        newest_standing(signatures).map_or_else(Vec::new, |s| {
            self.headed(s, &s.open_to_discuss())
                .into_iter()
                .map(|(_, heading)| heading)
                .collect()
        })
    }

    /// Every rule still to talk about, with members still in the group (screened or
    /// active), the longest waiting first.
    pub fn to_discuss(&self) -> Vec<ToDiscuss> {
        let mut newest: HashMap<(MemberId, GroupId), &Signature> = HashMap::new();
        for s in self.state.signatures.values() {
            if s.withdrawal.is_some() {
                continue;
            }
            let held = newest.entry((s.member, s.group)).or_insert(s);
            if (s.version_number, s.signed_at) > (held.version_number, held.signed_at) {
                *held = s;
            }
        }
        let mut list = Vec::new();
        for ((member, group), signature) in newest {
            if signature.discuss.is_empty() || !self.still_in(member, group) {
                continue;
            }
            list.extend(self.open_items(signature));
        }
        list.sort_by(|a, b| {
            (a.asked_at, &a.display_name, a.clause).cmp(&(b.asked_at, &b.display_name, b.clause))
        });
        list
    }

    /// Marks rule `clause` of `signature` as talked about, now. Refused for a withdrawn
    /// signature, a rule the member did not ask about, and one already marked.
    pub fn mark_talked_about(
        &mut self,
        signature: SignatureId,
        clause: usize,
    ) -> PracticeResult<Signature> {
        let mut s = Self::found(&self.state.signatures, &signature, RecordKind::Signature)?.clone();
        if s.withdrawal.is_some() {
            return Err(Invalid::new("signature", "has been withdrawn").into());
        }
        if !s.discuss.contains(&clause) {
            return Err(
                Invalid::new("clause", "is not a rule the member asked to talk about").into(),
            );
        }
        if s.talked_about_at(clause).is_some() {
            return Err(Invalid::new("clause", "is already marked as talked about").into());
        }
        s.talked_about.push(TalkedAbout {
            clause,
            at: self.now(),
        });
        s.validate(self.today())?;
        let record = Stored::Signature(s.clone());
        let event = self.event(AuditAction::Changed, Some(&record), "rule talked about");
        self.commit(vec![record], Vec::new(), event)?;
        Ok(s)
    }

    fn still_in(&self, member: MemberId, group: GroupId) -> bool {
        self.state.memberships.values().any(|m| {
            m.member == member
                && m.group == group
                && matches!(
                    m.status,
                    MembershipStatus::Active | MembershipStatus::Screened
                )
        })
    }

    fn open_items(&self, signature: &Signature) -> Vec<ToDiscuss> {
        let headed = self.headed(signature, &signature.open_to_discuss());
        let display_name = self.display_name(signature.member);
        let group_name = self
            .state
            .groups
            .get(&signature.group)
            .map_or_else(String::new, |g| g.name.clone());
        headed
            .into_iter()
            .map(|(clause, heading)| ToDiscuss {
                member: signature.member,
                display_name: display_name.clone(),
                group: signature.group,
                group_name: group_name.clone(),
                signature: signature.id,
                clause,
                heading,
                asked_at: signature.signed_at,
            })
            .collect()
    }

    /// Each of `clauses` with its heading in the version `signature` signed (a clause the
    /// version does not have is left out).
    fn headed(&self, signature: &Signature, clauses: &[usize]) -> Vec<(usize, String)> {
        let Some(version) = self.state.agreements.get(&signature.agreement) else {
            return Vec::new();
        };
        clauses
            .iter()
            .filter_map(|i| {
                version
                    .text
                    .clauses
                    .get(*i)
                    .map(|c| (*i, c.heading.clone()))
            })
            .collect()
    }
}

/// The newest signature among `signatures` that has not been withdrawn.
fn newest_standing<'a>(signatures: impl Iterator<Item = &'a Signature>) -> Option<&'a Signature> {
    signatures
        .filter(|s| s.withdrawal.is_none())
        .max_by_key(|s| (s.version_number, s.signed_at))
}
