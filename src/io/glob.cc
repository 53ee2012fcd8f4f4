#include "io/glob.h"

#include <algorithm>

#include "io/file_system.h"

namespace alopex {

namespace {

bool IsHidden(std::string_view name) { return !name.empty() && (name[0] == '.' || name[0] == '_'); }

// Matches a [...] class starting at pattern[p] == '['. On success sets *end to
// the index after ']' and returns whether `c` is in the class; a '[' without a
// closing ']' is a literal (returns false with *end == p).
bool MatchClass(std::string_view pattern, size_t p, unsigned char c, size_t* end, bool* is_class) {
  size_t i = p + 1;
  bool negate = false;
  if (i < pattern.size() && (pattern[i] == '!' || pattern[i] == '^')) {
    negate = true;
    i++;
  }
  bool matched = false;
  bool first = true;
  while (i < pattern.size() && (pattern[i] != ']' || first)) {
    first = false;
    unsigned char lo = pattern[i];
    if (lo == '\\' && i + 1 < pattern.size()) lo = pattern[++i];
    unsigned char hi = lo;
    if (i + 2 < pattern.size() && pattern[i + 1] == '-' && pattern[i + 2] != ']') {
      hi = pattern[i + 2];
      if (hi == '\\' && i + 3 < pattern.size()) {
        hi = pattern[i + 3];
        i++;
      }
      i += 2;
    }
    if (c >= lo && c <= hi) matched = true;
    i++;
  }
  if (i >= pattern.size()) {
    *is_class = false;
    *end = p;
    return false;
  }
  *is_class = true;
  *end = i + 1;
  return matched != negate;
}

bool MatchFrom(std::string_view pat, size_t p, std::string_view s, size_t i) {
  // Iterative with one backtrack point for the last '*' (classic wildcard matching).
  size_t star_p = std::string_view::npos, star_i = 0;
  while (i < s.size()) {
    if (p < pat.size()) {
      char pc = pat[p];
      if (pc == '*') {
        star_p = p++;
        star_i = i;
        continue;
      }
      if (pc == '?') {
        p++;
        i++;
        continue;
      }
      if (pc == '[') {
        size_t end;
        bool is_class;
        bool in = MatchClass(pat, p, static_cast<unsigned char>(s[i]), &end, &is_class);
        if (is_class) {
          if (in) {
            p = end;
            i++;
            continue;
          }
        } else if (s[i] == '[') {
          p++;
          i++;
          continue;
        }
      } else {
        if (pc == '\\' && p + 1 < pat.size()) pc = pat[++p];
        if (pc == s[i]) {
          p++;
          i++;
          continue;
        }
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p + 1;
    i = ++star_i;
  }
  while (p < pat.size() && pat[p] == '*') p++;
  return p == pat.size();
}

bool MatchSegments(const std::vector<std::string>& pat, size_t pi, const std::vector<std::string>& path, size_t si) {
  if (pi == pat.size()) return si == path.size();
  if (pat[pi] == "**") {
    for (size_t k = si; k <= path.size(); k++) {
      if (k > si && IsHidden(path[k - 1])) return false;
      if (MatchSegments(pat, pi + 1, path, k)) return true;
    }
    return false;
  }
  if (si == path.size()) return false;
  return GlobMatchSegment(pat[pi], path[si]) && MatchSegments(pat, pi + 1, path, si + 1);
}

std::string_view SegmentName(std::string_view path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// Splits "s3://bucket/a/b" into a root ("s3://", "/" or "") and the rest.
std::pair<std::string, std::string_view> SplitRoot(std::string_view uri) {
  size_t scheme = uri.find("://");
  if (scheme != std::string_view::npos && uri.substr(0, scheme).find('/') == std::string_view::npos) {
    size_t start = scheme + 3;
    if (uri.substr(0, scheme) == "file" && start < uri.size() && uri[start] == '/') start++;  // file:///abs
    return {std::string(uri.substr(0, start)), uri.substr(start)};
  }
  if (!uri.empty() && uri[0] == '/') return {"/", uri.substr(1)};
  return {"", uri};
}

Result<std::vector<FileInfo>> FilesBelow(FileSystem* fs, const std::string& dir) {
  ALOPEX_ASSIGN_OR_RETURN(std::vector<FileInfo> all, fs->List(dir, true));
  std::string prefix = JoinPath(dir, "");
  std::vector<FileInfo> out;
  for (auto& f : all) {
    if (f.is_directory) continue;
    std::string_view rel = std::string_view(f.path).substr(f.path.compare(0, prefix.size(), prefix) == 0 ? prefix.size() : 0);
    bool hidden = false;
    for (const auto& seg : SplitPath(rel)) hidden |= IsHidden(seg);
    if (!hidden) out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

bool GlobMatchSegment(std::string_view pattern, std::string_view name) {
  if (IsHidden(name) && (pattern.empty() || pattern[0] != name[0])) return false;
  return MatchFrom(pattern, 0, name, 0);
}

bool GlobMatchPath(std::string_view pattern, std::string_view path) {
  return MatchSegments(SplitPath(pattern), 0, SplitPath(path), 0);
}

std::vector<std::string> SplitPath(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

Result<std::vector<FileInfo>> ExpandGlob(const std::string& pattern) {
  ALOPEX_ASSIGN_OR_RETURN(FileSystem * fs, FileSystem::ForPath(pattern));
  std::vector<FileInfo> out;
  if (!IsGlob(pattern)) {
    ALOPEX_ASSIGN_OR_RETURN(FileInfo info, fs->Stat(pattern));
    if (!info.is_directory) {
      out.push_back(std::move(info));
      return out;
    }
    ALOPEX_ASSIGN_OR_RETURN(out, FilesBelow(fs, pattern));
    if (out.empty()) return Status::NotFound("no files found in folder " + pattern);
    return out;
  }

  auto [root, rest] = SplitRoot(pattern);
  std::vector<std::string> segs = SplitPath(rest);
  // The literal prefix is the directory where listing starts.
  size_t first_glob = 0;
  while (first_glob < segs.size() && !IsGlob(segs[first_glob])) first_glob++;
  std::string base = root;
  for (size_t i = 0; i < first_glob; i++) base = base.empty() ? segs[i] : JoinPath(base, segs[i]);

  // Directories matched so far; "" stands for the current directory of a relative pattern.
  std::vector<std::string> dirs = {base};
  for (size_t i = first_glob; i < segs.size() && !dirs.empty(); i++) {
    const std::string& seg = segs[i];
    bool last = i + 1 == segs.size();
    std::vector<std::string> next;
    if (seg == "**") {
      // The rest of the pattern is matched against every path below.
      std::vector<std::string> tail(segs.begin() + i, segs.end());
      std::string tail_pattern;
      for (const auto& t : tail) tail_pattern = JoinPath(tail_pattern, t);
      for (const auto& dir : dirs) {
        auto listed = fs->List(dir.empty() ? "." : dir, true);
        if (!listed.ok()) {
          if (listed.status().code() == StatusCode::kNotFound) continue;
          return listed.status();
        }
        std::string prefix = dir.empty() ? "./" : JoinPath(dir, "");
        for (auto& f : *listed) {
          if (f.is_directory) continue;
          std::string_view rel = std::string_view(f.path).substr(prefix.size());
          if (!GlobMatchPath(tail_pattern, rel)) continue;
          if (dir.empty()) f.path = std::string(rel);
          out.push_back(std::move(f));
        }
      }
      dirs.clear();
      break;
    }
    if (!IsGlob(seg)) {
      for (const auto& dir : dirs) next.push_back(dir.empty() ? seg : JoinPath(dir, seg));
      if (last) {
        for (const auto& p : next) {
          auto st = fs->Stat(p);
          if (st.ok() && !st->is_directory) out.push_back(std::move(*st));
        }
      }
      dirs = std::move(next);
      continue;
    }
    for (const auto& dir : dirs) {
      auto listed = fs->List(dir.empty() ? "." : dir, false);
      if (!listed.ok()) {
        StatusCode c = listed.status().code();
        if (c == StatusCode::kNotFound || c == StatusCode::kIOError) continue;  // missing, or a file
        return listed.status();
      }
      for (auto& f : *listed) {
        std::string_view name = SegmentName(f.path);
        if (!GlobMatchSegment(seg, name)) continue;
        if (dir.empty()) f.path = std::string(name);
        if (last) {
          if (!f.is_directory) out.push_back(std::move(f));
        } else if (f.is_directory) {
          next.push_back(f.path);
        }
      }
    }
    dirs = std::move(next);
  }
  if (out.empty()) return Status::NotFound("no files match the pattern \"" + pattern + "\"");
  std::sort(out.begin(), out.end(), [](const FileInfo& a, const FileInfo& b) { return a.path < b.path; });
  out.erase(std::unique(out.begin(), out.end(), [](const FileInfo& a, const FileInfo& b) { return a.path == b.path; }),
            out.end());
  return out;
}

}  // namespace alopex
