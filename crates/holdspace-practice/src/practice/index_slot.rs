//! The search index's life beside the unlocked practice: built on a background thread right
//! after unlock, so the first screen does not wait for it, and kept current with every change.
//!
//! Policy: the builder reads a shared snapshot of the state (an `Arc`); changes committed
//! while it runs are queued and replayed onto the finished index, so a search never misses a
//! saved change. The first search (or [`IndexSlot::wait`]) waits for the builder. If the
//! builder fails, the index is rebuilt from the current state on the spot.

use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;

use super::kind::Removal;
use super::search::{SearchIndex, SearchResults};
use super::state::{State, Stored};

/// A change to replay onto an index that was still being built when it was committed.
enum Change {
    Apply(Box<Stored>),
    Remove(Removal),
}

/// Either a ready index, or a builder and the changes committed since it started.
#[derive(Default)]
struct Slot {
    ready: Option<SearchIndex>,
    building: Option<(JoinHandle<SearchIndex>, Vec<Change>)>,
}

impl Slot {
    /// The ready index: joins the builder (replaying queued changes) or, if it failed, builds
    /// from the current state, which already holds every change.
    fn finish(&mut self, state: &State) -> &mut SearchIndex {
        if let Some((builder, pending)) = self.building.take() {
            if let Ok(mut index) = builder.join() {
                for change in pending {
                    match change {
                        Change::Apply(record) => index.apply(&record),
                        Change::Remove(removal) => index.remove(removal),
                    }
                }
                self.ready = Some(index);
            }
        }
        self.ready.get_or_insert_with(|| SearchIndex::build(state))
    }
}

impl Drop for Slot {
    /// Waits for a running builder, so that no thread outlives the practice holding records.
    fn drop(&mut self) {
        if let Some((builder, _)) = self.building.take() {
            let _ = builder.join();
        }
    }
}

/// The practice's search index, ready or on its way.
pub struct IndexSlot(Mutex<Slot>);

impl IndexSlot {
    /// Starts building the index of `state` on a background thread (or builds it here if no
    /// thread can be started).
    pub fn build_in_background(state: Arc<State>) -> Self {
        let for_builder = Arc::clone(&state);
        let builder = std::thread::Builder::new()
            .name("holdspace-index".into())
            .spawn(move || SearchIndex::build(&for_builder));
        match builder {
            Ok(builder) => Self(Mutex::new(Slot {
                ready: None,
                building: Some((builder, Vec::new())),
            })),
            Err(_) => Self::ready(SearchIndex::build(&state)),
        }
    }

    /// An index that is already built.
    pub fn ready(index: SearchIndex) -> Self {
        Self(Mutex::new(Slot {
            ready: Some(index),
            building: None,
        }))
    }

    /// Indexes a record that was added or changed.
    pub fn apply(&mut self, record: &Stored) {
        let slot = self.slot_mut();
        match (&mut slot.ready, &mut slot.building) {
            (_, Some((_, pending))) => pending.push(Change::Apply(Box::new(record.clone()))),
            (Some(index), None) => index.apply(record),
            (None, None) => {}
        }
    }

    /// Drops a removed record from the index.
    pub fn remove(&mut self, removal: Removal) {
        let slot = self.slot_mut();
        match (&mut slot.ready, &mut slot.building) {
            (_, Some((_, pending))) => pending.push(Change::Remove(removal)),
            (Some(index), None) => index.remove(removal),
            (None, None) => {}
        }
    }

    /// Searches, first waiting for the build if it is still running.
    pub fn search(&self, state: &State, query: &str, limit_per_kind: usize) -> SearchResults {
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        slot.finish(state).search(state, query, limit_per_kind)
    }

    /// Waits until the index is built (benchmarks, and callers that want search ready now).
    pub fn wait(&self, state: &State) {
        let mut slot = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        slot.finish(state);
    }

    fn slot_mut(&mut self) -> &mut Slot {
        self.0.get_mut().unwrap_or_else(PoisonError::into_inner)
    }
}
