#include "wavetable.h"

#include <cmath>
#include <utility>

namespace wd {

namespace {

constexpr double kPi = 3.14159265358979323846;
// The levels stop at these: the saw's top level (2019 harmonics) keeps a 20 Hz tone's harmonics up
// to 40 kHz and a 10 Hz tone's up to 20 kHz; the triangle's harmonic 254 is already 96 dB below its
// fundamental (1/k^2).
constexpr int kMaxSawHarmonics = 2048;
constexpr int kMaxTriangleHarmonics = 256;
constexpr int kMinSize = 4096;
constexpr int kSizePerHarmonic = 16;  // N >= 16 K: linear-interpolation images 80 dB down
// Level j's harmonics number at most kLevelRatio times level j - 1's, and fade in while A / K_j <
// kFadeRatio (wavetable.h): every harmonic below Nyquist / (kLevelRatio * kFadeRatio) = 0.389 fs has
// its full amplitude, 17.2 kHz at 44.1 kHz. The fade costs a second read, so it spans only 2% of
// frequency (a twelfth of each level's range): 0.5% let a 0.25 s 50 Hz -> 5 kHz saw sweep reach
// -68 dB (44.1 kHz), 2% keeps it at -81 dB; switching with no fade at all, -49 dB.
constexpr double kLevelRatio = 1.2599210498948732;  // 2^(1/3)
constexpr double kFadeRatio = 1.02;

// The sine amplitude of harmonic k in the ideal series (sum of a_k sin(2 pi k phase)).
double amplitude(WavetableSet::Shape shape, int k) {
  if (shape == WavetableSet::kSaw) return -2.0 / (kPi * k);  // 2 phase - 1
  if (k % 2 == 0) return 0.0;
  // Triangle starting at 0 and rising, peak 1 at a quarter cycle.
  const double sign = ((k - 1) / 2) % 2 == 0 ? 1.0 : -1.0;
  return sign * 8.0 / (kPi * kPi * k * k);
}

// e^{2 pi i j / size} for j < size / 2, shared by every transform of `size` or less (a transform of
// length n uses every (size / n)-th entry). Each is computed directly, not by a recurrence, so the
// tables carry no accumulated rounding.
struct Twiddles {
  explicit Twiddles(size_t size) : size(size), cos(size / 2), sin(size / 2) {
    for (size_t j = 0; j < size / 2; ++j) {
      const double angle = 2.0 * kPi * static_cast<double>(j) / static_cast<double>(size);
      cos[j] = std::cos(angle);
      sin[j] = std::sin(angle);
    }
  }
  size_t size;
  std::vector<double> cos;
  std::vector<double> sin;
};

// In-place inverse DFT (unnormalized, e^{+i}) of a power-of-two length: iterative radix 2, real and
// imaginary parts in separate arrays.
void inverseFft(std::vector<double>& re, std::vector<double>& im, const Twiddles& twiddles) {
  const size_t n = re.size();
  for (size_t i = 1, j = 0; i < n; ++i) {
    size_t bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      std::swap(re[i], re[j]);
      std::swap(im[i], im[j]);
    }
  }
  for (size_t len = 2; len <= n; len <<= 1) {
    const size_t half = len / 2;
    const size_t stride = twiddles.size / len;
    for (size_t k = 0; k < half; ++k) {
      const double wr = twiddles.cos[k * stride];
      const double wi = twiddles.sin[k * stride];
      for (size_t a = k; a < n; a += len) {
        const size_t b = a + half;
        const double vr = re[b] * wr - im[b] * wi;
        const double vi = re[b] * wi + im[b] * wr;
        re[b] = re[a] - vr;
        im[b] = im[a] - vi;
        re[a] += vr;
        im[a] += vi;
      }
    }
  }
}

int tableSize(int harmonics) {
  int size = kMinSize;
  while (size < kSizePerHarmonic * harmonics) size *= 2;
  return size;
}

WavetableLevel buildLevel(WavetableSet::Shape shape, int harmonics, const Twiddles& twiddles) {
  const int size = tableSize(harmonics);
  // x[n] = sum_k c_k sin(2 pi k n / N) = Im(sum_k c_k e^{2 pi i k n / N}).
  std::vector<double> re(size);
  std::vector<double> im(size);
  for (int k = 1; k <= harmonics; ++k) {
    const double x = kPi * k / size;
    const double sinc = std::sin(x) / x;
    re[k] = amplitude(shape, k) / (sinc * sinc);  // undo linear interpolation's sinc^2 droop
  }
  inverseFft(re, im, twiddles);
  WavetableLevel level;
  level.harmonics = harmonics;
  level.pairs.resize(2 * static_cast<size_t>(size));
  for (int i = 0; i < size; ++i) {
    const float x = static_cast<float>(im[i]);
    const float next = static_cast<float>(im[(i + 1) % size]);
    level.pairs[2 * i] = x;
    level.pairs[2 * i + 1] = next - x;  // in float, as a reader subtracting the two would get
  }
  level.shift = 32 - static_cast<int>(std::lround(std::log2(size)));
  return level;
}

}  // namespace

WavetableSet::WavetableSet(Shape shape) {
  const int maxHarmonics = shape == kSaw ? kMaxSawHarmonics : kMaxTriangleHarmonics;
  const Twiddles twiddles(static_cast<size_t>(tableSize(maxHarmonics)));
  for (int k = 1; k <= maxHarmonics;) {
    levels_.push_back(buildLevel(shape, k, twiddles));
    const int next = static_cast<int>(std::floor(k * kLevelRatio));
    k = next > k ? next : k + 1;
  }
}

WavetableMix WavetableSet::mixFor(uint32_t increment) const {
  // Harmonic k stays below Nyquist when k * increment < 2^31.
  const uint64_t fit = increment == 0 ? UINT64_MAX : (0x80000000ull - 1) / increment;
  size_t lo = 0;
  size_t hi = levels_.size();  // the answer is the last level with harmonics <= fit
  while (hi - lo > 1) {
    const size_t mid = (lo + hi) / 2;
    if (static_cast<uint64_t>(levels_[mid].harmonics) <= fit) lo = mid;
    else hi = mid;
  }
  const WavetableLevel& upper = levels_[lo];
  if (lo == 0 || increment == 0) return {&upper, &upper, 1.0f};
  // A / K_j in [1, kFadeRatio] fades level j's extra harmonics in from 0 (at Nyquist) to full.
  const double ratio = 2147483648.0 / (static_cast<double>(increment) * upper.harmonics);
  const double weight = (ratio - 1.0) / (kFadeRatio - 1.0);
  return {&levels_[lo - 1], &upper, weight >= 1.0 ? 1.0f : static_cast<float>(weight)};
}

const Wavetables& wavetables() {
  static const Wavetables tables;
  return tables;
}

}  // namespace wd
