//! The one way the shell takes a lock on its shared state.
//!
//! Policy: a panic in one command must not leave the session unusable, and every value the
//! shell keeps behind a mutex is sound between calls, so a poisoned mutex is taken as it is.

use std::sync::{Mutex, MutexGuard};

/// Locks `mutex`, taking the value of a poisoned one.
pub fn lock_or_recover<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_poisoned_lock_still_gives_its_value() {
        let shared = std::sync::Arc::new(Mutex::new(7));
        let poisoner = std::sync::Arc::clone(&shared);
        let _ = std::thread::spawn(move || {
            let _held = poisoner.lock().unwrap();
            panic!("a command panicked while holding the lock");
        })
        .join();
        assert!(shared.is_poisoned());
        assert_eq!(*lock_or_recover(&shared), 7);
    }
}
