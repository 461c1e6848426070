//! Freed memory: wiped, and given back to the system.
//!
//! Policy: whatever the app's process frees is overwritten before it can be reused or read,
//! whoever allocated it. Three allocators hold the page's messages and the records on their
//! way through it, and each is made to wipe:
//!
//! - **Rust's.** The app's global allocator ([`ZeroingAllocator`], in `main.rs`) zeroes every
//!   block the Rust code frees: serde's buffers, Tauri's IPC request and reply bodies, the
//!   strength meter's copies, decoded strings.
//! - **glibc's `malloc`,** which GTK, GLib and WebKit's side of the app use.
//!   [`perturb_freed_blocks`] makes glibc overwrite every block it frees; for that to reach
//!   every block, [`run_with_wiping_allocators`] first starts the app again, in place, with
//!   glibc told (through `GLIBC_TUNABLES`) to keep no freed small blocks aside for quick
//!   reuse (those would escape the overwriting), and to unmap the stacks of threads that have
//!   ended instead of keeping them for new threads.
//! - **WebKit's own** (bmalloc), which keeps the page's messages in the app's process.
//!   `Malloc=1`, set for the same start, makes it hand every block to `malloc`, and so to the
//!   rule above.
//!
//! WebKit's web and network processes inherit that environment but not the overwriting:
//! Mesa's software renderer, which the web process draws with when there is no GPU, reads
//! memory it has already freed, and crashes if that memory was overwritten. The web process
//! is instead ended at every lock (`web_process.rs`), which gives all its memory back to the
//! system; the network process never holds a record or a secret (`e2e/memory.rs` checks
//! both). If starting again fails the app still runs, with Rust's blocks zeroed and glibc's
//! overwritten except for the few it keeps aside.
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

/// The byte glibc writes over freed blocks; it fills new blocks with its complement. Not
/// zero, which glibc takes to mean "off"; 0xFF, so that new blocks start zeroed, as fresh
/// memory from the system does, for C code that reads memory before writing it.
const PERTURB_BYTE: i32 = 0xFF;

/// What glibc is told at start (see the module doc): keep no freed blocks in its per-thread
/// caches, keep no stacks of ended threads.
const GLIBC_WIPING_TUNABLES: &str = "glibc.malloc.tcache_count=0:glibc.pthread.stack_cache_size=0";

/// What tells WebKit's allocator to hand every block to `malloc`.
const WEBKIT_SYSTEM_MALLOC: (&str, &str) = ("Malloc", "1");

/// Whether this process was started with the environment every allocator needs to wipe
/// what it frees (see the module doc).
pub fn started_for_wiping() -> bool {
    std::env::var(WEBKIT_SYSTEM_MALLOC.0).as_deref() == Ok(WEBKIT_SYSTEM_MALLOC.1)
        && std::env::var("GLIBC_TUNABLES").is_ok_and(|t| t.ends_with(GLIBC_WIPING_TUNABLES))
}

/// Starts this program again in place (the same process, so the same process id), with the
/// environment every allocator needs to wipe what it frees, unless it already runs so (see
/// the module doc). Call first thing in `main`, before any thread or secret exists. Returns
/// if it already runs so, or if starting again failed; elsewhere than Linux with glibc it
/// does nothing.
pub fn run_with_wiping_allocators() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if !started_for_wiping() {
        use std::os::unix::process::CommandExt;
        let tunables = match std::env::var("GLIBC_TUNABLES") {
            Ok(theirs) if !theirs.is_empty() => format!("{theirs}:{GLIBC_WIPING_TUNABLES}"),
            _ => GLIBC_WIPING_TUNABLES.to_owned(),
        };
        let mut args = std::env::args_os();
        let arg0 = args.next().unwrap_or_else(|| "holdspace".into());
        // `exec` returns only on failure; the app then runs as it is.
        let _ = std::process::Command::new("/proc/self/exe")
            .arg0(arg0)
            .args(args)
            .env(WEBKIT_SYSTEM_MALLOC.0, WEBKIT_SYSTEM_MALLOC.1)
            .env("GLIBC_TUNABLES", tunables)
            .exec();
    }
}

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
