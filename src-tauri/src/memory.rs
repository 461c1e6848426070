//! Freed memory: wiped, and given back to the system.
//!
//! The app's global allocator ([`ZeroingAllocator`], in `main.rs`) zeroes every block the Rust
//! code frees, whoever allocated it: serde's buffers, Tauri's IPC request and reply bodies,
//! the strength meter's copies, decoded strings. The C side of the process (GTK, GLib and
//! WebKit's UI process, which hold the page's messages on their way to Rust) allocates with
//! glibc's `malloc` directly; [`perturb_freed_blocks`] makes glibc overwrite what they free as
//! well, except for the first bytes of small blocks it keeps for quick reuse (which hold its
//! own pointers).
//!
//! Unlocking decodes every record on several threads, and glibc's allocator keeps each
//! thread's freed pages for reuse instead of returning them; the search index build does the
//! same. That retained memory counts against what the unlocked practice may add to the app
//! (the memory target in `docs/performance.md`) although nothing uses it. `malloc_trim`
//! returns it. On other platforms and C libraries this does nothing.
//!
//! This is the shell's only `unsafe`: calls into the C library with no arguments that point
//! anywhere.

/// The app's global allocator: the system's, with every freed block zeroed first.
pub type ZeroingAllocator = zalloc::ZeroizingAlloc<std::alloc::System>;

/// The app's global allocator, ready for `#[global_allocator]`.
pub const ZEROING_ALLOCATOR: ZeroingAllocator = zalloc::ZeroizingAlloc(std::alloc::System);

/// The byte glibc writes over freed blocks (and the complement of which it fills new ones
/// with). Not zero: glibc takes zero to mean "off".
const PERTURB_BYTE: i32 = 0xA5;

/// Makes glibc overwrite every block freed from now on in this process (glibc on Linux; a
/// no-op elsewhere). Call first thing in `main`.
pub fn perturb_freed_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[allow(unsafe_code)]
    // SAFETY: mallopt takes two plain integers and only sets an option of the allocator; it
    // is called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_PERTURB, PERTURB_BYTE);
    }
}

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
