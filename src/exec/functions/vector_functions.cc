// Exact vector distance functions over VECTOR(n) columns and float lists:
// cosine_similarity, cosine_distance, l2_distance, l2_distance_squared,
// inner_product, negative_inner_product, vector_norm. The kernels accumulate
// in eight float32 lanes; on x86 an AVX2+FMA clone is chosen at run time.
#include <cmath>
#include <cstring>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "common/cast.h"
#include "exec/functions/function_binding.h"

namespace alopex::functions {

namespace {

struct Sums3 {
  float dot, na, nb;
};

// ---------------------------------------------------------------- portable kernels

float DotPortable(const float* a, const float* b, size_t n) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  size_t k = 0;
  for (; k + 8 <= n; k += 8)
    for (int j = 0; j < 8; j++) acc[j] += a[k + j] * b[k + j];
  float s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
  for (; k < n; k++) s += a[k] * b[k];
  return s;
}

float L2SqPortable(const float* a, const float* b, size_t n) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  size_t k = 0;
  for (; k + 8 <= n; k += 8)
    for (int j = 0; j < 8; j++) {
      float d = a[k + j] - b[k + j];
      acc[j] += d * d;
    }
  float s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
  for (; k < n; k++) {
    float d = a[k] - b[k];
    s += d * d;
  }
  return s;
}

Sums3 CosinePortable(const float* a, const float* b, size_t n) {
  float d[8] = {0}, x[8] = {0}, y[8] = {0};
  size_t k = 0;
  for (; k + 8 <= n; k += 8)
    for (int j = 0; j < 8; j++) {
      d[j] += a[k + j] * b[k + j];
      x[j] += a[k + j] * a[k + j];
      y[j] += b[k + j] * b[k + j];
    }
  Sums3 s{0, 0, 0};
  for (int j = 0; j < 8; j++) {
    s.dot += d[j];
    s.na += x[j];
    s.nb += y[j];
  }
  for (; k < n; k++) {
    s.dot += a[k] * b[k];
    s.na += a[k] * a[k];
    s.nb += b[k] * b[k];
  }
  return s;
}

// ---------------------------------------------------------------- AVX2 kernels

#if defined(__x86_64__)
__attribute__((target("avx2,fma"))) inline float HorizontalSum(__m256 v) {
  __m128 lo = _mm256_castps256_ps128(v);
  __m128 hi = _mm256_extractf128_ps(v, 1);
  lo = _mm_add_ps(lo, hi);
  __m128 sh = _mm_movehdup_ps(lo);
  __m128 s = _mm_add_ps(lo, sh);
  sh = _mm_movehl_ps(sh, s);
  s = _mm_add_ss(s, sh);
  return _mm_cvtss_f32(s);
}

__attribute__((target("avx2,fma"))) float DotAvx2(const float* a, const float* b, size_t n) {
  __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
  size_t k = 0;
  for (; k + 16 <= n; k += 16) {
    acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k), _mm256_loadu_ps(b + k), acc0);
    acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k + 8), _mm256_loadu_ps(b + k + 8), acc1);
  }
  for (; k + 8 <= n; k += 8) acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(a + k), _mm256_loadu_ps(b + k), acc0);
  float s = HorizontalSum(_mm256_add_ps(acc0, acc1));
  for (; k < n; k++) s += a[k] * b[k];
  return s;
}

__attribute__((target("avx2,fma"))) float L2SqAvx2(const float* a, const float* b, size_t n) {
  __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
  size_t k = 0;
  for (; k + 16 <= n; k += 16) {
    __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + k), _mm256_loadu_ps(b + k));
    __m256 d1 = _mm256_sub_ps(_mm256_loadu_ps(a + k + 8), _mm256_loadu_ps(b + k + 8));
    acc0 = _mm256_fmadd_ps(d0, d0, acc0);
    acc1 = _mm256_fmadd_ps(d1, d1, acc1);
  }
  for (; k + 8 <= n; k += 8) {
    __m256 d0 = _mm256_sub_ps(_mm256_loadu_ps(a + k), _mm256_loadu_ps(b + k));
    acc0 = _mm256_fmadd_ps(d0, d0, acc0);
  }
  float s = HorizontalSum(_mm256_add_ps(acc0, acc1));
  for (; k < n; k++) {
    float d = a[k] - b[k];
    s += d * d;
  }
  return s;
}

__attribute__((target("avx2,fma"))) Sums3 CosineAvx2(const float* a, const float* b, size_t n) {
  __m256 d = _mm256_setzero_ps(), x = _mm256_setzero_ps(), y = _mm256_setzero_ps();
  size_t k = 0;
  for (; k + 8 <= n; k += 8) {
    __m256 va = _mm256_loadu_ps(a + k), vb = _mm256_loadu_ps(b + k);
    d = _mm256_fmadd_ps(va, vb, d);
    x = _mm256_fmadd_ps(va, va, x);
    y = _mm256_fmadd_ps(vb, vb, y);
  }
  Sums3 s{HorizontalSum(d), HorizontalSum(x), HorizontalSum(y)};
  for (; k < n; k++) {
    s.dot += a[k] * b[k];
    s.na += a[k] * a[k];
    s.nb += b[k] * b[k];
  }
  return s;
}

bool HasAvx2() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
}
#endif

using DotFn = float (*)(const float*, const float*, size_t);
using CosFn = Sums3 (*)(const float*, const float*, size_t);

DotFn PickDot() {
#if defined(__x86_64__)
  if (HasAvx2()) return DotAvx2;
#endif
  return DotPortable;
}
DotFn PickL2Sq() {
#if defined(__x86_64__)
  if (HasAvx2()) return L2SqAvx2;
#endif
  return L2SqPortable;
}
CosFn PickCosine() {
#if defined(__x86_64__)
  if (HasAvx2()) return CosineAvx2;
#endif
  return CosinePortable;
}

// ---------------------------------------------------------------- row access

// The floats of row i of a VECTOR(n) or FLOAT[] column.
struct FloatRows {
  const Column* col;
  bool is_vector;
  size_t dim;
  const float* base;
  explicit FloatRows(const Column& c)
      : col(&c),
        is_vector(c.type().id() == TypeId::kVector),
        dim(is_vector ? size_t(c.type().dimension()) : 0),
        base(is_vector ? c.data<float>() : c.child().data<float>()) {}
  const float* Row(size_t i, size_t* n) const {
    if (is_vector) {
      *n = dim;
      return base + i * dim;
    }
    const ListEntry& e = col->list_entries()[i];
    *n = e.length;
    return base + e.offset;
  }
  // A NULL element inside a list row.
  bool HasNullElement(size_t i) const {
    if (is_vector || !col->child().MayHaveNulls()) return false;
    const ListEntry& e = col->list_entries()[i];
    for (uint64_t k = 0; k < e.length; k++)
      if (col->child().IsNull(e.offset + k)) return true;
    return false;
  }
};

enum class Metric { kCosineSimilarity, kCosineDistance, kL2, kL2Squared, kInner, kNegativeInner };

ScalarKernel DistanceKernel(Metric metric, std::string name) {
  return [metric, name](ScalarCall& call) -> Status {
    FloatRows a(*call.args[0]), b(*call.args[1]);
    float* r = call.out->data<float>();
    DotFn dot = PickDot();
    DotFn l2 = PickL2Sq();
    CosFn cos = PickCosine();
    for (size_t i = 0; i < call.count; i++) {
      size_t na, nb;
      const float* x = a.Row(i, &na);
      const float* y = b.Row(i, &nb);
      if (na != nb || a.HasNullElement(i) || b.HasNullElement(i)) {
        if (!call.args[0]->IsValid(i) || !call.args[1]->IsValid(i)) {
          r[i] = 0;
          continue;
        }
        if (na != nb)
          return Status::InvalidArgument(name + ": vector dimensions differ: " + std::to_string(na) + " and " +
                                         std::to_string(nb));
        return Status::InvalidArgument(name + ": vectors must not contain NULL elements");
      }
      switch (metric) {
        case Metric::kCosineSimilarity: case Metric::kCosineDistance: {
          Sums3 s = cos(x, y, na);
          float denom = std::sqrt(s.na) * std::sqrt(s.nb);
          float sim = denom > 0 ? s.dot / denom : std::nanf("");
          // Rounding can push |sim| a hair over 1.
          if (sim > 1.0f) sim = 1.0f;
          if (sim < -1.0f) sim = -1.0f;
          r[i] = metric == Metric::kCosineSimilarity ? sim : 1.0f - sim;
          break;
        }
        case Metric::kL2: r[i] = std::sqrt(l2(x, y, na)); break;
        case Metric::kL2Squared: r[i] = l2(x, y, na); break;
        case Metric::kInner: r[i] = dot(x, y, na); break;
        case Metric::kNegativeInner: r[i] = -dot(x, y, na); break;
      }
    }
    return Status::OK();
  };
}

bool IsFloatListLike(const LogicalType& t) {
  return t.id() == TypeId::kList && (t.child().IsNumeric() || t.child().id() == TypeId::kNull);
}

// VECTOR(n) with VECTOR(n); VECTOR(n) with a numeric list (cast to VECTOR(n));
// two lists (cast to FLOAT[], dimensions checked per row).
Result<std::vector<LogicalType>> VectorArgTypes(const ScalarBindInput& in) {
  const LogicalType& a = in.arg_types[0];
  const LogicalType& b = in.arg_types[1];
  TypeId x = a.id(), y = b.id();
  auto ok_arg = [](const LogicalType& t) {
    return t.id() == TypeId::kVector || t.id() == TypeId::kNull || IsFloatListLike(t);
  };
  if (!ok_arg(a) || !ok_arg(b))
    return NoMatch(in, std::vector<std::string>{in.name + "(VECTOR(n), VECTOR(n))", in.name + "(FLOAT[], FLOAT[])"});
  if (x == TypeId::kVector && y == TypeId::kVector) {
    if (a.dimension() != b.dimension())
      return Status::BinderError(in.name + ": vector dimensions differ: " + a.ToString() + " and " + b.ToString());
    return std::vector<LogicalType>{a, b};
  }
  if (x == TypeId::kVector) return std::vector<LogicalType>{a, a};
  if (y == TypeId::kVector) return std::vector<LogicalType>{b, b};
  // Two lists, or NULLs: a constant list fixes the dimension for the other side.
  LogicalType fl = LogicalType::List(TypeId::kFloat);
  return std::vector<LogicalType>{fl, fl};
}

ScalarBinder DistanceBinder(Metric metric) {
  return [metric](const ScalarBindInput& in) -> Result<BoundScalarFunction> {
    ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 2, 2));
    ALOPEX_ASSIGN_OR_RETURN(std::vector<LogicalType> args, VectorArgTypes(in));
    return MakeBound(in, args, TypeId::kFloat, DistanceKernel(metric, in.name));
  };
}

Result<BoundScalarFunction> BindNorm(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 1));
  const LogicalType& t = in.arg_types[0];
  LogicalType arg = t.id() == TypeId::kVector ? t : LogicalType::List(TypeId::kFloat);
  if (t.id() != TypeId::kVector && t.id() != TypeId::kNull && !IsFloatListLike(t))
    return NoMatch(in, std::vector<std::string>{in.name + "(VECTOR(n))", in.name + "(FLOAT[])"});
  return MakeBound(in, {arg}, TypeId::kFloat, [](ScalarCall& call) -> Status {
    FloatRows a(*call.args[0]);
    float* r = call.out->data<float>();
    DotFn dot = PickDot();
    for (size_t i = 0; i < call.count; i++) {
      size_t n;
      const float* x = a.Row(i, &n);
      r[i] = std::sqrt(dot(x, x, n));
    }
    return Status::OK();
  });
}

}  // namespace

void RegisterVectorFunctions(FunctionRegistry& r) {
  r.Register("cosine_similarity", DistanceBinder(Metric::kCosineSimilarity));
  r.Register("cosine_distance", DistanceBinder(Metric::kCosineDistance));
  r.Register("l2_distance", DistanceBinder(Metric::kL2));
  r.Register("l2_distance_squared", DistanceBinder(Metric::kL2Squared));
  r.Register("inner_product", DistanceBinder(Metric::kInner));
  r.Register("negative_inner_product", DistanceBinder(Metric::kNegativeInner));
  r.Register("vector_norm", BindNorm);
  for (const char* a : {"array_cosine_similarity", "list_cosine_similarity"}) r.Alias(a, "cosine_similarity");
  for (const char* a : {"array_cosine_distance", "list_cosine_distance", "<=>"}) r.Alias(a, "cosine_distance");
  for (const char* a : {"array_distance", "list_distance", "euclidean_distance", "<->"}) r.Alias(a, "l2_distance");
  r.Alias("array_squared_distance", "l2_distance_squared");
  for (const char* a : {"dot_product", "array_inner_product", "array_dot_product", "list_inner_product",
                        "list_dot_product"})
    r.Alias(a, "inner_product");
  for (const char* a : {"array_negative_inner_product", "array_negative_dot_product", "<#>"})
    r.Alias(a, "negative_inner_product");
  r.Alias("l2_norm", "vector_norm");
}

}  // namespace alopex::functions
