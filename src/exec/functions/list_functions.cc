// List functions (list_value for [a, b] literals, list_extract for x[i],
// list_slice for x[a:b], containment, concatenation, aggregates over a list,
// sort / reverse / distinct / flatten, range), plus struct_pack and
// struct_extract for {'a': x} literals and s.field / s['field'].
#include <algorithm>
#include <cmath>
#include <numeric>

#include "common/cast.h"
#include "exec/functions/function_binding.h"

namespace alopex::functions {

namespace {

const LogicalType kBigInt(TypeId::kBigInt);

// Index of the element `idx` (1-based, negative from the end) in a list of
// `len` elements, or -1.
int64_t ElementIndex(int64_t idx, int64_t len) {
  int64_t k = idx > 0 ? idx - 1 : (idx < 0 ? len + idx : -1);
  return (k >= 0 && k < len) ? k : -1;
}

Result<LogicalType> ElementSuperType(const ScalarBindInput& in, size_t first) {
  LogicalType t(TypeId::kNull);
  for (size_t i = first; i < in.arg_types.size(); i++) {
    auto r = CommonSuperType(t, in.arg_types[i]);
    if (!r.ok())
      return Status::BinderError("Cannot create a list of types " + t.ToString() + " and " + in.arg_types[i].ToString() +
                                 " in " + CallString(in.name, in.arg_types) + ": an explicit cast is required");
    t = *r;
  }
  return t;
}

Result<BoundScalarFunction> BindListValue(const ScalarBindInput& in) {
  ALOPEX_ASSIGN_OR_RETURN(LogicalType t, ElementSuperType(in, 0));
  std::vector<LogicalType> args(in.arg_types.size(), t);
  auto f = MakeBound(in, args, LogicalType::List(t), [](ScalarCall& call) -> Status {
    Column& child = call.out->child();
    size_t n = call.args.size();
    ListEntry* e = call.out->list_entries();
    child.Reserve(call.count * n);
    for (size_t i = 0; i < call.count; i++) {
      size_t at = child.size();
      for (size_t k = 0; k < n; k++) child.CopyFrom(*call.args[k], i, at + k, 1);
      e[i] = {at, n};
    }
    return Status::OK();
  });
  f.propagates_nulls = false;  // NULL elements stay inside the list
  return f;
}

// ---------------------------------------------------------------- extract / slice

Result<BoundScalarFunction> BindStructExtract(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 2, 2));
  const LogicalType& s = in.arg_types[0];
  const Value* key = ConstantArg(in, 1);
  if (s.id() != TypeId::kStruct) return NoMatch(in, "struct_extract(STRUCT, VARCHAR constant)");
  size_t field = SIZE_MAX;
  if (key && !key->is_null() && key->type().id() == TypeId::kVarchar) {
    std::string name = key->GetString();
    for (size_t f = 0; f < s.fields().size(); f++)
      if (s.fields()[f].name == name) field = f;
    if (field == SIZE_MAX)
      for (size_t f = 0; f < s.fields().size(); f++) {
        std::string a = s.fields()[f].name, b = name;
        std::transform(a.begin(), a.end(), a.begin(), ::tolower);
        std::transform(b.begin(), b.end(), b.begin(), ::tolower);
        if (a == b) field = f;
      }
    if (field == SIZE_MAX) {
      std::string names;
      for (const auto& f : s.fields()) names += (names.empty() ? "" : ", ") + f.name;
      return Status::BinderError("Could not find key \"" + name + "\" in struct; the fields are: " + names);
    }
  } else if (key && !key->is_null() && key->type().IsInteger()) {
    int64_t idx = key->GetInt64();
    if (idx < 1 || idx > int64_t(s.fields().size()))
      return Status::BinderError("struct_extract: index " + std::to_string(idx) + " out of range for " + s.ToString());
    field = size_t(idx - 1);
  } else {
    return Status::BinderError("struct_extract: the key must be a constant string");
  }
  return MakeBound(in, {s, in.arg_types[1]}, *s.fields()[field].type, [field](ScalarCall& call) -> Status {
    call.out->CopyFrom(call.args[0]->child(field), 0, 0, call.count);
    return Status::OK();
  });
}

Result<BoundScalarFunction> BindListExtract(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 2, 2));
  const LogicalType& t = in.arg_types[0];
  if (t.id() == TypeId::kStruct) return BindStructExtract(in);
  if (t.id() == TypeId::kMap) {
    const LogicalType& kt = t.key_type();
    if (MatchCost(kt, in.arg_types[1]) < 0) return NoMatch(in, "map_extract(MAP(K, V), K)");
    return MakeBound(in, {t, kt}, t.value_type(), [](ScalarCall& call) -> Status {
      const Column& m = *call.args[0];
      const Column& keys = m.child().child(0);
      const Column& vals = m.child().child(1);
      for (size_t i = 0; i < call.count; i++) {
        const ListEntry& e = m.list_entries()[i];
        bool found = false;
        if (RowValid(call, i))
          for (uint64_t k = 0; k < e.length && !found; k++)
            if (keys.IsValid(e.offset + k) && CompareValues(keys, e.offset + k, *call.args[1], i) == 0) {
              call.out->CopyFrom(vals, e.offset + k, i, 1);
              found = true;
            }
        if (!found) call.out->SetNull(i);
      }
      return Status::OK();
    });
  }
  if (!in.arg_types[1].IsInteger() && in.arg_types[1].id() != TypeId::kNull)
    return NoMatch(in, std::vector<std::string>{"list_extract(ANY[], BIGINT)", "list_extract(VARCHAR, BIGINT)"});
  if (t.id() == TypeId::kVarchar) {
    return MakeBound(in, {t, kBigInt}, t, [](ScalarCall& call) -> Status {
      for (size_t i = 0; i < call.count; i++) {
        std::string_view s = Str(call, 0, i);
        int64_t len = int64_t(Utf8Length(s));
        int64_t k = ElementIndex(GetInt(*call.args[1], i), len);
        if (k < 0) {
          call.out->SetString(i, "");
          continue;
        }
        size_t b = Utf8Offset(s, size_t(k));
        size_t e = b + Utf8Offset(s.substr(b), 1);
        call.out->SetString(i, s.substr(b, e - b));
      }
      return Status::OK();
    });
  }
  if (t.id() == TypeId::kVector) {
    int dim = t.dimension();
    return MakeBound(in, {t, kBigInt}, TypeId::kFloat, [dim](ScalarCall& call) -> Status {
      float* r = call.out->data<float>();
      for (size_t i = 0; i < call.count; i++) {
        int64_t k = ElementIndex(GetInt(*call.args[1], i), dim);
        if (k < 0) {
          call.out->SetNull(i);
          continue;
        }
        r[i] = call.args[0]->vector_row(i)[k];
      }
      return Status::OK();
    });
  }
  if (t.id() != TypeId::kList && t.id() != TypeId::kNull)
    return NoMatch(in, std::vector<std::string>{"list_extract(ANY[], BIGINT)", "list_extract(VARCHAR, BIGINT)"});
  LogicalType list = t.id() == TypeId::kNull ? LogicalType::List(TypeId::kNull) : t;
  return MakeBound(in, {list, kBigInt}, list.child(), [](ScalarCall& call) -> Status {
    const Column& l = *call.args[0];
    for (size_t i = 0; i < call.count; i++) {
      const ListEntry& e = l.list_entries()[i];
      int64_t k = RowValid(call, i) ? ElementIndex(GetInt(*call.args[1], i), int64_t(e.length)) : -1;
      if (k < 0) {
        call.out->SetNull(i);
        continue;
      }
      call.out->CopyFrom(l.child(), e.offset + size_t(k), i, 1);
    }
    return Status::OK();
  });
}

// [begin, end) of a slice with DuckDB's 1-based inclusive bounds.
void SliceBounds(const Column* b, const Column* e, size_t i, int64_t len, int64_t* from, int64_t* to) {
  int64_t lo = (b && b->IsValid(i)) ? GetInt(*b, i) : 1;
  int64_t hi = (e && e->IsValid(i)) ? GetInt(*e, i) : len;
  int64_t f = lo > 0 ? lo - 1 : (lo < 0 ? len + lo : 0);
  int64_t t = hi > 0 ? std::min(hi, len) : (hi < 0 ? len + hi + 1 : 0);
  *from = std::clamp<int64_t>(f, 0, len);
  *to = std::clamp<int64_t>(t, 0, len);
}

Result<BoundScalarFunction> BindListSlice(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 3, 3));
  const LogicalType& t = in.arg_types[0];
  for (size_t k = 1; k < 3; k++)
    if (!in.arg_types[k].IsInteger() && in.arg_types[k].id() != TypeId::kNull)
      return NoMatch(in, std::vector<std::string>{"list_slice(ANY[], BIGINT, BIGINT)", "list_slice(VARCHAR, BIGINT, BIGINT)"});
  BoundScalarFunction f;
  if (t.id() == TypeId::kVarchar) {
    f = MakeBound(in, {t, kBigInt, kBigInt}, t, [](ScalarCall& call) -> Status {
      for (size_t i = 0; i < call.count; i++) {
        if (!call.args[0]->IsValid(i)) continue;
        std::string_view s = Str(call, 0, i);
        int64_t from, to;
        SliceBounds(call.args[1], call.args[2], i, int64_t(Utf8Length(s)), &from, &to);
        if (to <= from) {
          call.out->SetString(i, "");
          continue;
        }
        size_t b = Utf8Offset(s, size_t(from));
        size_t e = b + Utf8Offset(s.substr(b), size_t(to - from));
        call.out->SetString(i, s.substr(b, e - b));
      }
      return Status::OK();
    });
  } else if (t.id() == TypeId::kList) {
    f = MakeBound(in, {t, kBigInt, kBigInt}, t, [](ScalarCall& call) -> Status {
      const Column& l = *call.args[0];
      ListEntry* out = call.out->list_entries();
      Column& child = call.out->child();
      for (size_t i = 0; i < call.count; i++) {
        const ListEntry& e = l.list_entries()[i];
        size_t at = child.size();
        out[i] = {at, 0};
        if (!l.IsValid(i)) continue;
        int64_t from, to;
        SliceBounds(call.args[1], call.args[2], i, int64_t(e.length), &from, &to);
        if (to <= from) continue;
        child.CopyFrom(l.child(), e.offset + size_t(from), at, size_t(to - from));
        out[i].length = uint64_t(to - from);
      }
      return Status::OK();
    });
  } else {
    return NoMatch(in, std::vector<std::string>{"list_slice(ANY[], BIGINT, BIGINT)", "list_slice(VARCHAR, BIGINT, BIGINT)"});
  }
  // A NULL bound means "open" (x[:3]); only a NULL list gives NULL.
  f.propagates_nulls = false;
  auto inner = f.kernel;
  f.kernel = [inner](ScalarCall& call) -> Status {
    ALOPEX_RETURN_IF_ERROR(inner(call));
    for (size_t i = 0; i < call.count; i++)
      if (!call.args[0]->IsValid(i)) call.out->SetNull(i);
    return Status::OK();
  };
  return f;
}

Result<BoundScalarFunction> BindArrayLength(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 2));
  const LogicalType& t = in.arg_types[0];
  if (in.arg_types.size() == 2 && !in.arg_types[1].IsInteger())
    return NoMatch(in, "array_length(ANY[], BIGINT)");
  if (in.arg_types.size() == 2) {
    const Value* d = ConstantArg(in, 1);
    if (d && !d->is_null() && d->GetInt64() != 1) {
      int64_t dim = d->GetInt64();
      int depth = 1;
      LogicalType c = t;
      while (c.id() == TypeId::kList) {
        c = c.child();
        if (c.id() == TypeId::kList || c.id() == TypeId::kVector) depth++;
      }
      if (dim < 1 || dim > depth)
        return Status::OutOfRange("array_length: dimension " + std::to_string(dim) + " is out of range for " +
                                  t.ToString());
    }
  }
  std::vector<LogicalType> args = {t};
  if (in.arg_types.size() == 2) args.push_back(kBigInt);
  if (t.id() == TypeId::kVector) {
    int64_t n = t.dimension();
    return MakeBound(in, args, kBigInt, [n](ScalarCall& call) -> Status {
      int64_t* r = call.out->data<int64_t>();
      for (size_t i = 0; i < call.count; i++) r[i] = n;
      return Status::OK();
    });
  }
  if (t.id() != TypeId::kList && t.id() != TypeId::kMap)
    return NoMatch(in, std::vector<std::string>{"array_length(ANY[])", "array_length(VECTOR(n))"});
  return MakeBound(in, args, kBigInt, [](ScalarCall& call) -> Status {
    const Column& l = *call.args[0];
    int64_t* r = call.out->data<int64_t>();
    for (size_t i = 0; i < call.count; i++) {
      int64_t dim = call.args.size() > 1 ? GetInt(*call.args[1], i) : 1;
      if (dim == 1 || !l.IsValid(i)) {
        r[i] = int64_t(l.list_entries()[i].length);
        continue;
      }
      // Deeper dimensions: the length of the first element's list.
      const Column* c = &l;
      size_t row = i;
      bool found = true;
      for (int64_t d = 1; d < dim; d++) {
        const ListEntry& e = c->list_entries()[row];
        if (e.length == 0) {
          found = false;
          break;
        }
        row = e.offset;
        c = &c->child();
        if (c->type().id() == TypeId::kVector) break;
      }
      if (!found) {
        call.out->SetNull(i);
        continue;
      }
      r[i] = c->type().id() == TypeId::kVector ? c->type().dimension() : int64_t(c->list_entries()[row].length);
    }
    return Status::OK();
  });
}

// ---------------------------------------------------------------- search

Result<BoundScalarFunction> BindListSearch(const ScalarBindInput& in, bool position) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 2, 2));
  const LogicalType& l = in.arg_types[0];
  if (l.id() != TypeId::kList) return NoMatch(in, in.name + "(T[], T)");
  auto et = CommonSuperType(l.child(), in.arg_types[1]);
  if (!et.ok()) return NoMatch(in, in.name + "(T[], T)");
  LogicalType t = *et;
  if (t.id() == TypeId::kNull) t = TypeId::kInteger;
  LogicalType ret = position ? LogicalType(TypeId::kInteger) : LogicalType(TypeId::kBoolean);
  return MakeBound(in, {LogicalType::List(t), t}, ret, [position](ScalarCall& call) -> Status {
    const Column& l = *call.args[0];
    const Column& x = *call.args[1];
    const Column& child = l.child();
    for (size_t i = 0; i < call.count; i++) {
      const ListEntry& e = l.list_entries()[i];
      int64_t found = -1;
      if (RowValid(call, i))
        for (uint64_t k = 0; k < e.length; k++)
          if (child.IsValid(e.offset + k) && CompareValues(child, e.offset + k, x, i) == 0) {
            found = int64_t(k);
            break;
          }
      if (position) {
        if (found < 0)
          call.out->SetNull(i);
        else
          call.out->data<int32_t>()[i] = int32_t(found + 1);
      } else {
        call.out->data<uint8_t>()[i] = found >= 0;
      }
    }
    return Status::OK();
  });
}

Result<BoundScalarFunction> BindListConcat(const ScalarBindInput& in) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 2, SIZE_MAX));
  LogicalType t(TypeId::kNull);
  bool any_list = false;
  for (const auto& a : in.arg_types) {
    if (a.id() != TypeId::kList && a.id() != TypeId::kNull) return NoMatch(in, in.name + "(T[], T[])");
    any_list |= a.id() == TypeId::kList;
    auto r = CommonSuperType(t, a);
    if (!r.ok()) return NoMatch(in, in.name + "(T[], T[])");
    t = *r;
  }
  if (!any_list) return NoMatch(in, in.name + "(T[], T[])");
  std::vector<LogicalType> args(in.arg_types.size(), t);
  auto f = MakeBound(in, args, t, [](ScalarCall& call) -> Status {
    Column& child = call.out->child();
    ListEntry* out = call.out->list_entries();
    for (size_t i = 0; i < call.count; i++) {
      size_t at = child.size();
      out[i] = {at, 0};
      bool any = false;
      for (const Column* c : call.args) {
        if (!c->IsValid(i)) continue;
        any = true;
        const ListEntry& e = c->list_entries()[i];
        child.CopyFrom(c->child(), e.offset, child.size(), e.length);
        out[i].length += e.length;
      }
      if (!any) call.out->SetNull(i);
    }
    return Status::OK();
  });
  f.propagates_nulls = false;  // a NULL list concatenates as empty
  return f;
}

// ---------------------------------------------------------------- aggregates over a list

enum class ListAgg { kSum, kAvg, kMin, kMax };

Result<BoundScalarFunction> BindListAgg(const ScalarBindInput& in, ListAgg agg) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 1));
  const LogicalType& l = in.arg_types[0];
  if (l.id() == TypeId::kVector) {
    LogicalType fl = LogicalType::List(TypeId::kFloat);
    ScalarBindInput copy = in;
    copy.arg_types = {fl};
    auto r = BindListAgg(copy, agg);
    if (r.ok()) r->arg_types = {fl};
    return r;
  }
  if (l.id() != TypeId::kList) return NoMatch(in, in.name + "(T[])");
  const LogicalType& c = l.child();
  if (agg == ListAgg::kMin || agg == ListAgg::kMax) {
    bool is_min = agg == ListAgg::kMin;
    return MakeBound(in, {l}, c, [is_min](ScalarCall& call) -> Status {
      const Column& list = *call.args[0];
      const Column& child = list.child();
      for (size_t i = 0; i < call.count; i++) {
        const ListEntry& e = list.list_entries()[i];
        int64_t best = -1;
        for (uint64_t k = 0; k < e.length; k++) {
          size_t row = e.offset + k;
          if (!child.IsValid(row)) continue;
          if (best < 0) {
            best = int64_t(row);
            continue;
          }
          int cmp = CompareValues(child, row, child, size_t(best));
          if (is_min ? cmp < 0 : cmp > 0) best = int64_t(row);
        }
        if (best < 0)
          call.out->SetNull(i);
        else
          call.out->CopyFrom(child, size_t(best), i, 1);
      }
      return Status::OK();
    });
  }
  if (!c.IsNumeric() && c.id() != TypeId::kNull) return NoMatch(in, in.name + "(NUMERIC[])");
  bool integral = c.IsInteger() && agg == ListAgg::kSum;
  LogicalType ret = integral ? LogicalType(TypeId::kBigInt) : LogicalType(TypeId::kDouble);
  LogicalType arg = LogicalType::List(integral ? LogicalType(TypeId::kBigInt) : LogicalType(TypeId::kDouble));
  bool avg = agg == ListAgg::kAvg;
  return MakeBound(in, {arg}, ret, [integral, avg](ScalarCall& call) -> Status {
    const Column& list = *call.args[0];
    const Column& child = list.child();
    for (size_t i = 0; i < call.count; i++) {
      const ListEntry& e = list.list_entries()[i];
      int64_t isum = 0;
      double dsum = 0;
      size_t n = 0;
      bool overflow = false;
      for (uint64_t k = 0; k < e.length; k++) {
        size_t row = e.offset + k;
        if (!child.IsValid(row)) continue;
        n++;
        if (integral)
          overflow |= __builtin_add_overflow(isum, child.data<int64_t>()[row], &isum);
        else
          dsum += child.data<double>()[row];
      }
      if (n == 0) {
        call.out->SetNull(i);
        continue;
      }
      if (overflow && list.IsValid(i)) return Status::OutOfRange("Overflow in list_sum of BIGINT values");
      if (integral)
        call.out->data<int64_t>()[i] = isum;
      else
        call.out->data<double>()[i] = avg ? dsum / double(n) : dsum;
    }
    return Status::OK();
  });
}

// ---------------------------------------------------------------- reshaping

// Builds each output row from a list of child row indexes chosen by `pick`.
template <typename Pick>
ScalarKernel ReshapeKernel(Pick pick) {
  return [pick](ScalarCall& call) -> Status {
    const Column& list = *call.args[0];
    const Column& child = list.child();
    Column& out_child = call.out->child();
    ListEntry* out = call.out->list_entries();
    std::vector<uint32_t> rows;
    for (size_t i = 0; i < call.count; i++) {
      rows.clear();
      if (list.IsValid(i)) pick(call, i, list.list_entries()[i], child, &rows);
      size_t at = out_child.size();
      if (!rows.empty()) out_child.Gather(child, rows.data(), rows.size(), at);
      out[i] = {at, rows.size()};
    }
    return Status::OK();
  };
}

Result<BoundScalarFunction> BindListSort(const ScalarBindInput& in, bool reverse_default) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 3));
  const LogicalType& l = in.arg_types[0];
  if (l.id() != TypeId::kList) return NoMatch(in, in.name + "(T[][, VARCHAR[, VARCHAR]])");
  bool desc = reverse_default, nulls_first = false;
  for (size_t k = 1; k < in.arg_types.size(); k++) {
    const Value* v = ConstantArg(in, k);
    if (!v || v->is_null() || v->type().id() != TypeId::kVarchar)
      return Status::BinderError(in.name + ": the sort order must be a constant string");
    std::string s = v->GetString();
    std::transform(s.begin(), s.end(), s.begin(), ::toupper);
    if (s == "ASC") desc = false;
    else if (s == "DESC") desc = true;
    else if (s == "NULLS FIRST") nulls_first = true;
    else if (s == "NULLS LAST") nulls_first = false;
    else return Status::BinderError(in.name + ": unknown sort order '" + v->GetString() + "'");
  }
  std::vector<LogicalType> args = in.arg_types;
  return MakeBound(in, args, l, ReshapeKernel([desc, nulls_first](ScalarCall&, size_t, const ListEntry& e,
                                                                  const Column& child, std::vector<uint32_t>* rows) {
    for (uint64_t k = 0; k < e.length; k++) rows->push_back(uint32_t(e.offset + k));
    std::stable_sort(rows->begin(), rows->end(), [&](uint32_t a, uint32_t b) {
      bool va = child.IsValid(a), vb = child.IsValid(b);
      if (!va || !vb) {
        if (va == vb) return false;
        return nulls_first ? !va : va;
      }
      int c = CompareValues(child, a, child, b);
      return desc ? c > 0 : c < 0;
    });
  }));
}

Result<BoundScalarFunction> BindListReshape(const ScalarBindInput& in, int kind) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 1));
  const LogicalType& l = in.arg_types[0];
  if (l.id() != TypeId::kList) return NoMatch(in, in.name + "(T[])");
  if (kind == 0) {  // reverse
    return MakeBound(in, {l}, l, ReshapeKernel([](ScalarCall&, size_t, const ListEntry& e, const Column&,
                                                   std::vector<uint32_t>* rows) {
      for (uint64_t k = e.length; k-- > 0;) rows->push_back(uint32_t(e.offset + k));
    }));
  }
  if (kind == 1) {  // distinct: first occurrences, NULLs dropped
    return MakeBound(in, {l}, l, ReshapeKernel([](ScalarCall&, size_t, const ListEntry& e, const Column& child,
                                                   std::vector<uint32_t>* rows) {
      for (uint64_t k = 0; k < e.length; k++) {
        uint32_t row = uint32_t(e.offset + k);
        if (!child.IsValid(row)) continue;
        bool seen = false;
        for (uint32_t r : *rows)
          if (CompareValues(child, r, child, row) == 0) {
            seen = true;
            break;
          }
        if (!seen) rows->push_back(row);
      }
    }));
  }
  // flatten: a list of lists into one list.
  if (l.child().id() != TypeId::kList) return NoMatch(in, "flatten(T[][])");
  return MakeBound(in, {l}, l.child(), [](ScalarCall& call) -> Status {
    const Column& outer = *call.args[0];
    const Column& inner = outer.child();
    Column& out_child = call.out->child();
    ListEntry* out = call.out->list_entries();
    for (size_t i = 0; i < call.count; i++) {
      size_t at = out_child.size();
      out[i] = {at, 0};
      const ListEntry& e = outer.list_entries()[i];
      for (uint64_t k = 0; k < e.length; k++) {
        size_t r = e.offset + k;
        if (!inner.IsValid(r)) continue;
        const ListEntry& ie = inner.list_entries()[r];
        out_child.CopyFrom(inner.child(), ie.offset, out_child.size(), ie.length);
        out[i].length += ie.length;
      }
    }
    return Status::OK();
  });
}

Result<BoundScalarFunction> BindRange(const ScalarBindInput& in, bool inclusive) {
  ALOPEX_RETURN_IF_ERROR(CheckArgCount(in, 1, 3));
  for (const auto& t : in.arg_types)
    if (!t.IsInteger() && t.id() != TypeId::kNull) return NoMatch(in, in.name + "(BIGINT[, BIGINT[, BIGINT]])");
  std::vector<LogicalType> args(in.arg_types.size(), kBigInt);
  return MakeBound(in, args, LogicalType::List(kBigInt), [inclusive](ScalarCall& call) -> Status {
    Column& child = call.out->child();
    ListEntry* out = call.out->list_entries();
    for (size_t i = 0; i < call.count; i++) {
      size_t at = child.size();
      out[i] = {at, 0};
      if (!RowValid(call, i)) continue;
      int64_t start = 0, stop, step = 1;
      if (call.args.size() == 1) {
        stop = GetInt(*call.args[0], i);
      } else {
        start = GetInt(*call.args[0], i);
        stop = GetInt(*call.args[1], i);
        if (call.args.size() == 3) step = GetInt(*call.args[2], i);
      }
      if (step == 0) return Status::InvalidArgument(std::string(inclusive ? "generate_series" : "range") + ": step must not be 0");
      __int128 count = 0;
      if (step > 0 && (inclusive ? stop >= start : stop > start))
        count = ((__int128)stop - start - (inclusive ? 0 : 1)) / step + 1;
      if (step < 0 && (inclusive ? stop <= start : stop < start))
        count = ((__int128)start - stop - (inclusive ? 0 : 1)) / (-(__int128)step) + 1;
      if (count > (1 << 26)) return Status::OutOfRange("range: the list would have too many elements");
      child.Resize(at + size_t(count));
      int64_t* d = child.data<int64_t>();
      for (int64_t k = 0; k < int64_t(count); k++) d[at + k] = start + k * step;
      out[i].length = uint64_t(count);
    }
    return Status::OK();
  });
}

// struct_pack('a', x, 'b', y): names are constant strings at even positions.
Result<BoundScalarFunction> BindStructPack(const ScalarBindInput& in) {
  if (in.arg_types.empty() || in.arg_types.size() % 2 != 0)
    return Status::BinderError("struct_pack takes name/value pairs: struct_pack('a', x, 'b', y)");
  std::vector<std::pair<std::string, LogicalType>> fields;
  std::vector<LogicalType> args;
  for (size_t k = 0; k < in.arg_types.size(); k += 2) {
    const Value* name = ConstantArg(in, k);
    if (!name || name->is_null() || name->type().id() != TypeId::kVarchar)
      return Status::BinderError("struct_pack: field names must be constant strings");
    LogicalType t = in.arg_types[k + 1].id() == TypeId::kNull ? LogicalType(TypeId::kInteger) : in.arg_types[k + 1];
    fields.emplace_back(name->GetString(), t);
    args.push_back(in.arg_types[k]);
    args.push_back(t);
  }
  auto f = MakeBound(in, args, LogicalType::Struct(fields), [](ScalarCall& call) -> Status {
    for (size_t k = 1; k < call.args.size(); k += 2)
      call.out->child(k / 2).CopyFrom(*call.args[k], 0, 0, call.count);
    return Status::OK();
  });
  f.propagates_nulls = false;
  return f;
}

}  // namespace

void RegisterListFunctions(FunctionRegistry& r) {
  r.Register("list_value", BindListValue);
  r.Alias("list_pack", "list_value");
  r.Register("list_extract", BindListExtract);
  for (const char* a : {"list_element", "array_extract", "element_at", "map_extract"}) r.Alias(a, "list_extract");
  r.Register("struct_extract", BindStructExtract);
  r.Register("struct_pack", BindStructPack);
  r.Register("list_slice", BindListSlice);
  r.Alias("array_slice", "list_slice");
  r.Register("array_length", BindArrayLength);
  r.Register("list_contains", [](const ScalarBindInput& in) { return BindListSearch(in, false); });
  for (const char* a : {"array_contains", "list_has", "array_has"}) r.Alias(a, "list_contains");
  // contains(list, x) next to the string form.
  r.Register("contains", [](const ScalarBindInput& in) { return BindListSearch(in, false); });
  r.Register("list_position", [](const ScalarBindInput& in) { return BindListSearch(in, true); });
  for (const char* a : {"list_indexof", "array_position", "array_indexof"}) r.Alias(a, "list_position");
  r.Register("list_concat", BindListConcat);
  for (const char* a : {"list_cat", "array_concat", "array_cat"}) r.Alias(a, "list_concat");
  r.Register("||", BindListConcat);
  r.Register("concat", BindListConcat);
  r.Register("list_sum", [](const ScalarBindInput& in) { return BindListAgg(in, ListAgg::kSum); });
  r.Register("list_avg", [](const ScalarBindInput& in) { return BindListAgg(in, ListAgg::kAvg); });
  r.Register("list_min", [](const ScalarBindInput& in) { return BindListAgg(in, ListAgg::kMin); });
  r.Register("list_max", [](const ScalarBindInput& in) { return BindListAgg(in, ListAgg::kMax); });
  r.Alias("array_sum", "list_sum");
  r.Alias("array_avg", "list_avg");
  r.Alias("array_min", "list_min");
  r.Alias("array_max", "list_max");
  r.Register("list_sort", [](const ScalarBindInput& in) { return BindListSort(in, false); });
  r.Register("list_reverse_sort", [](const ScalarBindInput& in) { return BindListSort(in, true); });
  r.Alias("array_sort", "list_sort");
  r.Register("list_reverse", [](const ScalarBindInput& in) { return BindListReshape(in, 0); });
  r.Alias("array_reverse", "list_reverse");
  r.Register("list_distinct", [](const ScalarBindInput& in) { return BindListReshape(in, 1); });
  r.Alias("array_distinct", "list_distinct");
  r.Register("flatten", [](const ScalarBindInput& in) { return BindListReshape(in, 2); });
  r.Register("range", [](const ScalarBindInput& in) { return BindRange(in, false); });
  r.Register("generate_series", [](const ScalarBindInput& in) { return BindRange(in, true); });
}

}  // namespace alopex::functions
