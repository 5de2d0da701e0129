import { dlopen, FFIType } from "bun:ffi";

// glibc's mallopt parameters (malloc.h)
const M_TRIM_THRESHOLD = -1;
const M_MMAP_THRESHOLD = -3;

/**
 * SQLite (inside better-sqlite3) builds each list page as one string of
 * ~150 KB (3000/page: ~4.5 MB) with glibc's malloc. With glibc's defaults
 * such a block is returned to the kernel when freed (the heap top is trimmed
 * above 128 KiB, or the block is its own mmap) and faulted in again by the
 * next page: about a third of an uncached page's CPU was that system time
 * (bench/README.md). Keeping freed blocks up to 16 MiB in the heap, and
 * serving blocks under 8 MiB from it, makes a page cost only its copies.
 * The memory kept is at most the largest recent pages, not a growth.
 * glibc only: anywhere else (musl, macOS) this does nothing.
 */
export function keepMallocHeap(): boolean {
  if (process.platform !== "linux" || process.env.NO_MALLOC_TUNING) return false;
  try {
    const libc = dlopen("libc.so.6", { mallopt: { args: [FFIType.i32, FFIType.i32], returns: FFIType.i32 } });
    const ok = libc.symbols.mallopt(M_MMAP_THRESHOLD, 8 * 1024 * 1024) === 1 && libc.symbols.mallopt(M_TRIM_THRESHOLD, 16 * 1024 * 1024) === 1;
    return ok;
  } catch {
    return false;
  }
}
