// The Alopex release this build belongs to.
#pragma once

namespace alopex {

inline constexpr const char* kVersion = "0.1.0";

}  // namespace alopex
