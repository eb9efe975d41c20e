// sin(2*pi*x) for a phase x in cycles, by an odd Taylor polynomial on a quarter period. Max error
// about 1e-7 (float rounding dominates): accurate enough for audio, and branch-light so that the
// compiler can vectorise oscillator banks.
#pragma once

namespace wd {

inline float sinCycles(float x) {
  // Reduce to [-0.5, 0.5), then fold to [-0.25, 0.25] with sin(pi - t) = sin(t).
  x -= static_cast<float>(static_cast<int>(x + (x >= 0.0f ? 0.5f : -0.5f)));
  if (x > 0.25f) x = 0.5f - x;
  if (x < -0.25f) x = -0.5f - x;
  const float t = x * 6.28318530717958647692f;
  const float t2 = t * t;
  // Horner form of t - t^3/3! + t^5/5! - ... + t^13/13!
  float p = 1.6059043836821613e-10f;
  p = p * t2 - 2.505210838544172e-08f;
  p = p * t2 + 2.755731922398589e-06f;
  p = p * t2 - 1.984126984126984e-04f;
  p = p * t2 + 8.333333333333333e-03f;
  p = p * t2 - 1.666666666666667e-01f;
  p = p * t2 + 1.0f;
  return t * p;
}

}  // namespace wd
