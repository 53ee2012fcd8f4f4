// Status and Result<T>: how every fallible call in Alopex reports failure.
// No exception crosses the public API; errors carry a code and a message that
// names the file, row, column, option or statement at fault.
#pragma once

#include <cassert>
#include <memory>
#include <string>
#include <utility>
#include <variant>

namespace alopex {

enum class StatusCode : unsigned char {
  kOk = 0,
  kInvalidArgument,  // bad option, bad parameter
  kSyntaxError,      // SQL that does not parse
  kBinderError,      // unknown table/column, type mismatch in a query
  kConversionError,  // a value that does not convert (cast, import)
  kNotFound,         // file, table, key
  kAlreadyExists,
  kCorruption,       // a file that is not what it claims to be
  kIOError,
  kOutOfRange,       // overflow, division by zero, index out of bounds
  kNotImplemented,
  kCancelled,        // interrupted by the user
  kConflict,         // optimistic-concurrency conflict
  kInternal,
};

class Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message)
      : rep_(code == StatusCode::kOk ? nullptr
                                     : std::make_shared<Rep>(Rep{code, std::move(message)})) {}

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status SyntaxError(std::string m) { return {StatusCode::kSyntaxError, std::move(m)}; }
  static Status BinderError(std::string m) { return {StatusCode::kBinderError, std::move(m)}; }
  static Status ConversionError(std::string m) { return {StatusCode::kConversionError, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status Corruption(std::string m) { return {StatusCode::kCorruption, std::move(m)}; }
  static Status IOError(std::string m) { return {StatusCode::kIOError, std::move(m)}; }
  static Status OutOfRange(std::string m) { return {StatusCode::kOutOfRange, std::move(m)}; }
  static Status NotImplemented(std::string m) { return {StatusCode::kNotImplemented, std::move(m)}; }
  static Status Cancelled(std::string m) { return {StatusCode::kCancelled, std::move(m)}; }
  static Status Conflict(std::string m) { return {StatusCode::kConflict, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  // The message alone, without the code's name.
  const std::string& message() const {
    static const std::string kEmpty;
    return rep_ ? rep_->message : kEmpty;
  }
  // "<Code name>: <message>", e.g. "Binder Error: column \"x\" not found".
  std::string ToString() const;
  // A copy whose message is prefixed with context ("file.parquet: " + message).
  Status WithContext(const std::string& prefix) const {
    if (ok()) return *this;
    return Status(code(), prefix + message());
  }

 private:
  struct Rep {
    StatusCode code;
    std::string message;
  };
  std::shared_ptr<const Rep> rep_;
};

const char* StatusCodeName(StatusCode code);

inline std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(StatusCodeName(code())) + ": " + message();
}

inline const char* StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kInvalidArgument: return "Invalid Input Error";
    case StatusCode::kSyntaxError: return "Parser Error";
    case StatusCode::kBinderError: return "Binder Error";
    case StatusCode::kConversionError: return "Conversion Error";
    case StatusCode::kNotFound: return "Not Found Error";
    case StatusCode::kAlreadyExists: return "Catalog Error";
    case StatusCode::kCorruption: return "Corruption Error";
    case StatusCode::kIOError: return "IO Error";
    case StatusCode::kOutOfRange: return "Out of Range Error";
    case StatusCode::kNotImplemented: return "Not Implemented Error";
    case StatusCode::kCancelled: return "Interrupted";
    case StatusCode::kConflict: return "Conflict Error";
    case StatusCode::kInternal: return "Internal Error";
  }
  return "Error";
}

// Either a value of type T or a non-OK Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : v_(std::move(status)) { assert(!std::get<Status>(v_).ok()); }  // NOLINT

  bool ok() const { return v_.index() == 0; }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace alopex

#define ALOPEX_CONCAT_IMPL(a, b) a##b
#define ALOPEX_CONCAT(a, b) ALOPEX_CONCAT_IMPL(a, b)

// Returns from the enclosing function when `expr` (a Status) is not OK.
#define ALOPEX_RETURN_IF_ERROR(expr)              \
  do {                                            \
    ::alopex::Status _alopex_st = (expr);         \
    if (!_alopex_st.ok()) return _alopex_st;      \
  } while (0)

// `lhs = value of expr` (a Result<T>), or returns its Status from the enclosing function.
#define ALOPEX_ASSIGN_OR_RETURN(lhs, expr) \
  ALOPEX_ASSIGN_OR_RETURN_IMPL(ALOPEX_CONCAT(_alopex_res_, __LINE__), lhs, expr)
#define ALOPEX_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()
