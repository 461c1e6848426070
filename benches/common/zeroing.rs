//! The allocator a bench process runs with: the system's, or the desktop app's — every freed
//! block zeroed by Rust (`zalloc`), glibc asked to overwrite what it frees (`M_PERTURB`), and
//! glibc started with no per-thread cache of freed blocks and no cache of ended threads'
//! stacks ([`WIPING_TUNABLES`]), as the app's `main` sets up — chosen when the process
//! starts, so one bench can time the same work both ways in child processes and show what
//! wiping freed memory costs.
//!
//! Both ways allocate from the system allocator, so switching changes only what happens to a
//! block when it is freed.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, Ordering};

/// Set in a child's environment to "1" to run it with the zeroing allocator.
pub const ZEROING_ENV: &str = "HOLDSPACE_BENCH_ZEROING";

/// What the app starts glibc with (`GLIBC_TUNABLES`, `src-tauri/src/memory.rs`); given to a
/// zeroing child when it starts, since glibc reads it only then.
pub const WIPING_TUNABLES: &str = "glibc.malloc.tcache_count=0:glibc.pthread.stack_cache_size=0";

static ZEROING: AtomicBool = AtomicBool::new(false);

/// The system allocator, or the zeroing one once [`choose_from_env`] turned it on.
pub struct Switchable;

const ZEROING_ALLOCATOR: zalloc::ZeroizingAlloc<System> = zalloc::ZeroizingAlloc(System);

#[allow(unsafe_code)]
// SAFETY: every call goes to `System` itself or to `ZeroizingAlloc<System>`, which zeroes a
// block and then hands it to `System`; both allocate from `System`, so a block allocated
// either way may be freed either way, and the layouts are passed through unchanged.
unsafe impl GlobalAlloc for Switchable {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ZEROING.load(Ordering::Relaxed) {
            unsafe { ZEROING_ALLOCATOR.dealloc(ptr, layout) }
        } else {
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if ZEROING.load(Ordering::Relaxed) {
            unsafe { ZEROING_ALLOCATOR.realloc(ptr, layout, new_size) }
        } else {
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }
}

/// Turns the zeroing allocator on when [`ZEROING_ENV`] is "1". Call first thing in `main`.
pub fn choose_from_env() {
    if std::env::var(ZEROING_ENV).as_deref() == Ok("1") {
        ZEROING.store(true, Ordering::Relaxed);
        #[cfg(all(target_os = "linux", target_env = "gnu"))]
        #[allow(unsafe_code)]
        // SAFETY: mallopt takes two plain integers and only sets an allocator option; called
        // before any other thread exists. 0xFF as in the app (`src-tauri/src/memory.rs`).
        unsafe {
            libc::mallopt(libc::M_PERTURB, 0xFF);
        }
    }
}

/// True when this process runs with the zeroing allocator.
pub fn is_zeroing() -> bool {
    ZEROING.load(Ordering::Relaxed)
}
