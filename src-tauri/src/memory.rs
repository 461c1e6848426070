//! Giving freed memory back to the system.
//!
//! Unlocking decodes every record on several threads, and glibc's allocator keeps each
//! thread's freed pages for reuse instead of returning them; the search index build does the
//! same. That retained memory counts against what the unlocked practice may add to the app
//! (the memory target in `docs/performance.md`) although nothing uses it. `malloc_trim`
//! returns it. On other platforms and C libraries this does nothing.
//!
//! This is the shell's only `unsafe`: one call into the C library with no arguments that
//! point anywhere.

/// Returns freed heap pages to the operating system (glibc on Linux; a no-op elsewhere).
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)]
    // SAFETY: malloc_trim takes a plain integer and only reorganises the allocator's own
    // free lists; it is thread-safe (it takes each arena's lock) and never touches live
    // allocations.
    unsafe {
        libc::malloc_trim(0);
    }
}
