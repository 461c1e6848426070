//! The store checked against its history ([`crate::ledger`]): the integrity check and
//! accepting what it found, and what locking does to the history (the journal folded into one
//! checkpoint, the history's revision written into the header as its high-water mark).
//!
//! Policy: the check decrypts nothing; accepting rebuilds the history from the records present,
//! for the practitioner to do once they have seen the findings; while something found is not
//! yet accepted, the journal is kept as it is and never folded.

use super::folder::twice;
use super::Vault;
use crate::error::Result;
use crate::ledger::{self, Integrity, CHECKPOINT_KEY};
use crate::record::{revision_of, RecordId};
use crate::room::{self, Need};

impl Vault {
    /// Replaces the journal with one checkpoint, in one flushed batch.
    pub(super) fn fold_history(&self) -> Result<()> {
        let mut history = self.history();
        if history.is_unsettled() || !history.has_journal() {
            return Ok(());
        }
        let checkpoint = history.checkpoint_value(self.ledger_seal())?;
        room::ensure(&self.dir, twice(checkpoint.len()), Need::Essential)?;
        let mut batch = sled::Batch::default();
        batch.insert(CHECKPOINT_KEY, checkpoint);
        for revision in history.journal_revisions() {
            batch.remove(&ledger::journal_key(revision));
        }
        self.records.apply_batch(batch)?;
        self.records.flush()?;
        history.folded();
        Ok(())
    }

    /// Writes the history's revision into the header when it has moved past the mark.
    pub(super) fn raise_high_water(&self) -> Result<()> {
        let revision = self.history().revision();
        if revision <= self.header.high_water {
            return Ok(());
        }
        let mut header = self.header.clone();
        header.high_water = revision;
        self.replace_header(&header, Need::Essential)
    }

    /// Checks the store against its history: every record there, none older or newer than
    /// the history says, the history itself unbroken. Decrypts nothing.
    pub fn integrity(&self) -> Result<Integrity> {
        let mut present = Vec::new();
        let mut foreign = 0;
        for entry in self.record_entries() {
            let (key, value) = entry?;
            match RecordId::from_key(&key) {
                Some(id) => present.push((id, revision_of(&value))),
                None => foreign += 1,
            }
        }
        Ok(self.history().compare(present, foreign))
    }

    /// The practitioner has seen what [`Vault::integrity`] found and accepts the store as it
    /// is: the history is rebuilt from the records present (each as its value shows; a record
    /// that does not open keeps what the history knew of it) and folded into a checkpoint at
    /// once. Returns the check made afterwards, which finds nothing.
    pub fn accept_history(&self) -> Result<Integrity> {
        let context = self.context();
        let mut history = self.history();
        let known: std::collections::HashMap<RecordId, String> =
            history.kinds_by_id().into_iter().collect();
        let mut present = Vec::new();
        for entry in self.record_entries() {
            let (key, value) = entry?;
            let Some(id) = RecordId::from_key(&key) else {
                continue;
            };
            let Some(revision) = revision_of(&value) else {
                continue;
            };
            let kind = match context.open(&self.data_key, id, &value) {
                Ok(record) => record.kind,
                Err(_) => known.get(&id).cloned().unwrap_or_else(|| "unknown".into()),
            };
            present.push((id, revision, kind));
        }
        history.rebaseline(&present);
        let checkpoint = history.checkpoint_value(self.ledger_seal())?;
        room::ensure(&self.dir, twice(checkpoint.len()), Need::Ordinary)?;
        let mut batch = sled::Batch::default();
        batch.insert(CHECKPOINT_KEY, checkpoint);
        for entry in self.records.scan_prefix(ledger::JOURNAL_PREFIX) {
            let (key, _) = entry?;
            if ledger::is_ledger_key(&key) && key != CHECKPOINT_KEY {
                batch.remove(key);
            }
        }
        self.records.apply_batch(batch)?;
        self.records.flush()?;
        history.folded();
        drop(history);
        self.integrity()
    }
}
