/**
 * Kernel memory is laid out by the host (src/core/wasm/kernels.ts): it asks for
 * a region with `reserve` and passes pointers into it. Nothing here allocates.
 */

/** Makes `bytes` bytes usable from the returned 16-aligned base (after static data), growing memory if needed; 0 if it cannot grow. */
export function reserve(bytes: usize): usize {
  const base = (__heap_base + 15) & ~(<usize>15);
  if (bytes > <usize>0xffffffff - base) return 0;
  const end = base + bytes;
  const have = (<usize>memory.size()) << 16;
  if (end > have) {
    const pages = <i32>((end - have + 0xffff) >>> 16);
    if (memory.grow(pages) < 0) return 0;
  }
  return base;
}
