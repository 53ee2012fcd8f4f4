// Dispatch from a numeric TypeId to the C++ type of its column values.
#pragma once

#include <cstdint>

#include "alopex/types.h"

namespace alopex {

template <typename T>
struct Tag {
  using type = T;
};

// Calls f(Tag<T>{}) with T the physical type of an integer or floating-point id
// and returns true; returns false for every other id.
template <typename F>
bool DispatchNumeric(TypeId id, F&& f) {
  switch (id) {
    case TypeId::kTinyInt: f(Tag<int8_t>{}); return true;
    case TypeId::kSmallInt: f(Tag<int16_t>{}); return true;
    case TypeId::kInteger: f(Tag<int32_t>{}); return true;
    case TypeId::kBigInt: f(Tag<int64_t>{}); return true;
    case TypeId::kUTinyInt: f(Tag<uint8_t>{}); return true;
    case TypeId::kUSmallInt: f(Tag<uint16_t>{}); return true;
    case TypeId::kUInteger: f(Tag<uint32_t>{}); return true;
    case TypeId::kUBigInt: f(Tag<uint64_t>{}); return true;
    case TypeId::kFloat: f(Tag<float>{}); return true;
    case TypeId::kDouble: f(Tag<double>{}); return true;
    default: return false;
  }
}

}  // namespace alopex
