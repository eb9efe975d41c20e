#include "wavetable.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace wd {

namespace {

constexpr double kPi = 3.14159265358979323846;
// The levels stop at these: the saw's top level (2048 harmonics) keeps a 20 Hz tone's harmonics up
// to 41 kHz and a 10 Hz tone's up to 20 kHz; the triangle's harmonic 255 is already 96 dB below its
// fundamental (1/k^2). A custom waveform keeps up to kMaxCustomHarmonics.
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

// The harmonic counts of the levels up to `top`: 1, 2, ... growing by at most kLevelRatio, and
// `top` itself last, so the lowest tones keep every harmonic the series has.
std::vector<int> levelHarmonics(int top) {
  std::vector<int> counts;
  for (int k = 1; k <= top;) {
    counts.push_back(k);
    const int next = static_cast<int>(std::floor(k * kLevelRatio));
    k = next > k ? next : k + 1;
  }
  if (top >= 1 && counts.back() != top) counts.push_back(top);
  return counts;
}

WavetableLevel buildLevel(const FourierSeries& series, int harmonics, const Twiddles& twiddles) {
  const int size = tableSize(harmonics);
  // x[n] = Re(sum_k (a_k - i b_k) e^{2 pi i k n / N}) = sum_k a_k cos + b_k sin.
  std::vector<double> re(size);
  std::vector<double> im(size);
  for (int k = 1; k <= harmonics; ++k) {
    const double x = kPi * k / size;
    const double droop = (std::sin(x) / x) * (std::sin(x) / x);  // linear interpolation's sinc^2
    re[k] = series.cosine[k] / droop;
    im[k] = -series.sine[k] / droop;
  }
  inverseFft(re, im, twiddles);
  WavetableLevel level;
  level.harmonics = harmonics;
  level.pairs.resize(2 * static_cast<size_t>(size));
  for (int i = 0; i < size; ++i) {
    const float x = static_cast<float>(re[i]);
    const float next = static_cast<float>(re[(i + 1) % size]);
    level.pairs[2 * i] = x;
    level.pairs[2 * i + 1] = next - x;  // in float, as a reader subtracting the two would get
  }
  level.shift = 32 - static_cast<int>(std::lround(std::log2(size)));
  return level;
}

}  // namespace

FourierSeries FourierSeries::ideal(Shape shape, int length) {
  FourierSeries series;
  series.cosine.assign(length, 0.0);
  series.sine.assign(length, 0.0);
  for (int k = 1; k < length; ++k) {
    const bool odd = k % 2 == 1;
    if (shape == Shape::kSaw) {
      series.sine[k] = (odd ? 2.0 : -2.0) / (kPi * k);
    } else if (shape == Shape::kSquare) {
      series.sine[k] = odd ? 4.0 / (kPi * k) : 0.0;
    } else if (odd) {
      series.sine[k] = (((k - 1) / 2) % 2 == 0 ? 8.0 : -8.0) / (kPi * kPi * k * k);
    }
  }
  return series;
}

WavetableSet::WavetableSet(const FourierSeries& series, int maxHarmonics) {
  const int top = std::max(1, std::min(series.highestHarmonic(), maxHarmonics));
  const std::vector<int> counts = levelHarmonics(top);
  const Twiddles twiddles(static_cast<size_t>(tableSize(top)));
  // A series of one coefficient (DC) still gets its single level, of zeros: every tone has a
  // table to read.
  FourierSeries padded = series;
  padded.cosine.resize(std::max<size_t>(padded.cosine.size(), top + 1), 0.0);
  padded.sine.resize(std::max<size_t>(padded.sine.size(), top + 1), 0.0);
  levels_.reserve(counts.size());
  for (int k : counts) levels_.push_back(buildLevel(padded, k, twiddles));
}

uint64_t WavetableSet::bytesFor(int harmonics) {
  const std::vector<int> counts = levelHarmonics(std::max(1, harmonics));
  uint64_t bytes = counts.size() * sizeof(WavetableLevel);
  for (int k : counts) bytes += 2 * static_cast<uint64_t>(tableSize(k)) * sizeof(float);
  return bytes;
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

int webAudioTableSize(double sampleRate) {
  if (sampleRate <= 24000.0) return 2048;
  if (sampleRate <= 88200.0) return 4096;
  return 16384;
}

double webAudioNormalization(const FourierSeries& series, int tableSize) {
  const int harmonics = std::min(static_cast<int>(series.sine.size()), tableSize / 2);
  std::vector<double> re(tableSize);
  std::vector<double> im(tableSize);
  for (int k = 1; k < harmonics; ++k) {
    re[k] = series.cosine[k];
    im[k] = -series.sine[k];
  }
  inverseFft(re, im, Twiddles(static_cast<size_t>(tableSize)));
  double peak = 0.0;
  for (double x : re) peak = std::max(peak, std::fabs(x));
  return peak > 0.0 ? 1.0 / peak : 1.0;
}

namespace {

constexpr int kWebAudioSizes[3] = {2048, 4096, 16384};

int webAudioSizeIndex(double sampleRate) {
  const int size = webAudioTableSize(sampleRate);
  return size == 2048 ? 0 : size == 4096 ? 1 : 2;
}

}  // namespace

Wavetables::Wavetables()
    : saw(FourierSeries::ideal(FourierSeries::Shape::kSaw, kMaxSawHarmonics + 1), kMaxSawHarmonics),
      triangle(FourierSeries::ideal(FourierSeries::Shape::kTriangle, kMaxTriangleHarmonics + 1),
               kMaxTriangleHarmonics) {
  for (int i = 0; i < 3; ++i) {
    const int size = kWebAudioSizes[i];
    // OscillatorNode's built-in waveforms: harmonics 1 .. N/2 - 1, normalised.
    sawNormalization[i] = webAudioNormalization(FourierSeries::ideal(FourierSeries::Shape::kSaw, size / 2), size);
    squareNormalization[i] =
        webAudioNormalization(FourierSeries::ideal(FourierSeries::Shape::kSquare, size / 2), size);
    triangleNormalization[i] =
        webAudioNormalization(FourierSeries::ideal(FourierSeries::Shape::kTriangle, size / 2), size);
  }
}

double Wavetables::normalization(FourierSeries::Shape shape, double sampleRate) const {
  const int i = webAudioSizeIndex(sampleRate);
  if (shape == FourierSeries::Shape::kSaw) return sawNormalization[i];
  if (shape == FourierSeries::Shape::kSquare) return squareNormalization[i];
  return triangleNormalization[i];
}

const Wavetables& wavetables() {
  static const Wavetables tables;
  return tables;
}

}  // namespace wd
