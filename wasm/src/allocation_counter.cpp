// Every C++ heap allocation goes through here: it is counted, so tests can prove the audio path
// allocates nothing after a graph is prepared (wd_allocation_count before and after a render must be
// equal), and one that fails traps at once.
//
// Why trap: the engine is built without exceptions, so a failed `new` cannot be reported up the
// stack, and returning nullptr would let std::vector write its elements from address 0 over the
// engine's own memory (which is how a graph too big for memory used to poison an instance for
// every later render). A trap stops the instance cleanly; the host reads the failed size
// (wd_allocation_failure_bytes) to say why, and discards the instance for a fresh one.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <new>

namespace {
uint32_t gAllocations = 0;
size_t gFailedBytes = 0;
}  // namespace

namespace wd {

[[noreturn]] void allocationFailed(size_t bytes) {
  gFailedBytes = bytes == 0 ? 1 : bytes;
  __builtin_trap();
}

uint32_t allocationCount() { return gAllocations; }
size_t allocationFailureBytes() { return gFailedBytes; }

}  // namespace wd

namespace {
void* allocate(std::size_t size) {
  ++gAllocations;
  void* p = std::malloc(size ? size : 1);
  if (p == nullptr) wd::allocationFailed(size);
  return p;
}
}  // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
