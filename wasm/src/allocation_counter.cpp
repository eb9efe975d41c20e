// Counts every C++ heap allocation, so tests can prove the audio path allocates nothing after a
// graph is prepared (wd_allocation_count before and after a render must be equal).
#include <cstdint>
#include <cstdlib>
#include <new>

namespace {
uint32_t gAllocations = 0;
}

void* operator new(std::size_t size) {
  ++gAllocations;
  return std::malloc(size ? size : 1);
}
void* operator new[](std::size_t size) {
  ++gAllocations;
  return std::malloc(size ? size : 1);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace wd {
uint32_t allocationCount() { return gAllocations; }
}  // namespace wd
