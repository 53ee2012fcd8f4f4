#include "io/file_system.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "io/local_file_system.h"
#include "io/memory_file_system.h"

namespace alopex {
namespace {

std::string TempDir(const std::string& name) {
  std::string dir = "/tmp/alopex_io_test_" + std::to_string(::getpid()) + "_" + name;
  LocalFileSystem fs;
  EXPECT_TRUE(fs.DeleteRecursive(dir).ok());
  EXPECT_TRUE(fs.CreateDirectories(dir).ok());
  return dir;
}

Status WriteFile(FileSystem* fs, const std::string& path, std::string_view data) {
  ALOPEX_ASSIGN_OR_RETURN(auto f, fs->OpenForWrite(path));
  ALOPEX_RETURN_IF_ERROR(f->Append(data.data(), data.size()));
  return f->Close();
}

// The same behaviour is expected from every FileSystem.
class FileSystemTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "local") {
      std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
      for (char& c : name)
        if (c == '/') c = '_';
      root_ = TempDir(name);
    } else {
      static int n = 0;
      root_ = "mem://fstest" + std::to_string(n++);
    }
    auto fs = FileSystem::ForPath(root_);
    ASSERT_TRUE(fs.ok());
    fs_ = *fs;
  }
  std::string P(const std::string& name) { return JoinPath(root_, name); }

  std::string root_;
  FileSystem* fs_ = nullptr;
};

TEST_P(FileSystemTest, WriteThenRead) {
  std::string data(3 << 20, 'x');
  for (size_t i = 0; i < data.size(); i++) data[i] = char('a' + i % 26);
  {
    auto f = fs_->OpenForWrite(P("sub/dir/a.bin"));
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    ASSERT_TRUE((*f)->Append(data.data(), 10).ok());
    ASSERT_TRUE((*f)->Append(data.data() + 10, data.size() - 10).ok());
    EXPECT_EQ((*f)->bytes_written(), data.size());
    ASSERT_TRUE((*f)->Close().ok());
  }
  auto r = fs_->OpenForRead(P("sub/dir/a.bin"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ((*r)->size(), data.size());
  std::string part(100, '\0');
  ASSERT_TRUE((*r)->ReadAt(1000, 100, reinterpret_cast<uint8_t*>(part.data())).ok());
  EXPECT_EQ(part, data.substr(1000, 100));
  Status short_read = (*r)->ReadAt(data.size() - 10, 100, reinterpret_cast<uint8_t*>(part.data()));
  EXPECT_EQ(short_read.code(), StatusCode::kIOError);
  EXPECT_NE(short_read.message().find("a.bin"), std::string::npos) << short_read.message();
  auto all = fs_->ReadAll(P("sub/dir/a.bin"));
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(*all, data);
}

TEST_P(FileSystemTest, MissingFileIsNotFoundNamingThePath) {
  auto r = fs_->OpenForRead(P("nope.csv"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find(P("nope.csv")), std::string::npos) << r.status().message();
  EXPECT_EQ(fs_->Stat(P("nope.csv")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(fs_->ReadAll(P("nope.csv")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(fs_->Delete(P("nope.csv")).code(), StatusCode::kNotFound);
  EXPECT_EQ(fs_->List(P("nodir"), false).status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(fs_->Exists(P("nope.csv")));
  EXPECT_TRUE(fs_->DeleteRecursive(P("nodir")).ok());
}

TEST_P(FileSystemTest, PutIfAbsent) {
  ASSERT_TRUE(fs_->PutIfAbsent(P("_delta_log/0.json"), "first").ok());
  Status again = fs_->PutIfAbsent(P("_delta_log/0.json"), "second");
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(*fs_->ReadAll(P("_delta_log/0.json")), "first");
  // No temporary files are left behind.
  auto listed = fs_->List(P("_delta_log"), false);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
}

TEST_P(FileSystemTest, ConcurrentPutIfAbsentHasOneWinner) {
  for (int round = 0; round < 20; round++) {
    std::string path = P("log/" + std::to_string(round) + ".json");
    std::atomic<int> winners{0}, losers{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; t++) {
      threads.emplace_back([&, t] {
        Status st = fs_->PutIfAbsent(path, "writer " + std::to_string(t));
        if (st.ok())
          winners++;
        else if (st.code() == StatusCode::kAlreadyExists)
          losers++;
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(winners.load(), 1);
    EXPECT_EQ(losers.load(), 7);
    auto content = fs_->ReadAll(path);
    ASSERT_TRUE(content.ok());
    EXPECT_EQ(content->rfind("writer ", 0), 0u);
  }
  auto listed = fs_->List(P("log"), false);
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(listed->size(), 20u);
}

TEST_P(FileSystemTest, WriteAtomicReplaces) {
  ASSERT_TRUE(fs_->WriteAtomic(P("cp/_last_checkpoint"), "v1").ok());
  ASSERT_TRUE(fs_->WriteAtomic(P("cp/_last_checkpoint"), "v2").ok());
  EXPECT_EQ(*fs_->ReadAll(P("cp/_last_checkpoint")), "v2");
  EXPECT_EQ(fs_->List(P("cp"), false)->size(), 1u);
}

TEST_P(FileSystemTest, ListStatDeleteRename) {
  ASSERT_TRUE(WriteFile(fs_, P("t/a.txt"), "aa").ok());
  ASSERT_TRUE(WriteFile(fs_, P("t/b/c.txt"), "ccc").ok());
  ASSERT_TRUE(WriteFile(fs_, P("t/b/d/e.txt"), "e").ok());

  auto flat = fs_->List(P("t"), false);
  ASSERT_TRUE(flat.ok()) << flat.status().ToString();
  ASSERT_EQ(flat->size(), 2u);
  EXPECT_EQ((*flat)[0].path, P("t/a.txt"));
  EXPECT_EQ((*flat)[0].size, 2u);
  EXPECT_FALSE((*flat)[0].is_directory);
  EXPECT_GT((*flat)[0].mtime_micros, 0);
  EXPECT_EQ((*flat)[1].path, P("t/b"));
  EXPECT_TRUE((*flat)[1].is_directory);

  auto deep = fs_->List(P("t"), true);
  ASSERT_TRUE(deep.ok());
  std::vector<std::string> files;
  for (auto& f : *deep)
    if (!f.is_directory) files.push_back(f.path);
  EXPECT_EQ(files, (std::vector<std::string>{P("t/a.txt"), P("t/b/c.txt"), P("t/b/d/e.txt")}));

  auto st = fs_->Stat(P("t/b/c.txt"));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->size, 3u);
  EXPECT_TRUE(fs_->Stat(P("t/b"))->is_directory);
  EXPECT_TRUE(fs_->Exists(P("t/b")));

  ASSERT_TRUE(fs_->Rename(P("t/a.txt"), P("u/moved.txt")).ok());
  EXPECT_FALSE(fs_->Exists(P("t/a.txt")));
  EXPECT_EQ(*fs_->ReadAll(P("u/moved.txt")), "aa");
  EXPECT_EQ(fs_->Rename(P("t/none"), P("u/x")).code(), StatusCode::kNotFound);

  ASSERT_TRUE(fs_->Delete(P("u/moved.txt")).ok());
  EXPECT_FALSE(fs_->Exists(P("u/moved.txt")));

  ASSERT_TRUE(fs_->DeleteRecursive(P("t")).ok());
  EXPECT_FALSE(fs_->Exists(P("t/b/d/e.txt")));
  EXPECT_FALSE(fs_->Exists(P("t")));
}

TEST_P(FileSystemTest, ReadingADirectoryFails) {
  ASSERT_TRUE(WriteFile(fs_, P("d/x"), "1").ok());
  auto r = fs_->OpenForRead(P("d"));
  EXPECT_FALSE(r.ok());
}

INSTANTIATE_TEST_SUITE_P(AllFileSystems, FileSystemTest, ::testing::Values("local", "memory"));

TEST(FileSystemForPathTest, Schemes) {
  EXPECT_TRUE(FileSystem::ForPath("/tmp/x").ok());
  EXPECT_TRUE(FileSystem::ForPath("rel/x.csv").ok());
  EXPECT_TRUE(FileSystem::ForPath("file:///tmp/x").ok());
  EXPECT_EQ(*FileSystem::ForPath("file:///tmp/x"), *FileSystem::ForPath("/tmp/y"));
  EXPECT_NE(*FileSystem::ForPath("mem://a"), *FileSystem::ForPath("/tmp/y"));
  for (const char* uri : {"s3://bucket/k", "gs://b/k", "az://c/k", "abfss://c@a.dfs.core.windows.net/k"}) {
    auto fs = FileSystem::ForPath(uri);
    ASSERT_FALSE(fs.ok());
    EXPECT_EQ(fs.status().code(), StatusCode::kNotImplemented);
    EXPECT_NE(fs.status().message().find("object-store"), std::string::npos);
  }
  EXPECT_EQ(FileSystem::ForPath("ftp://x/y").status().code(), StatusCode::kInvalidArgument);
}

TEST(LocalFileSystemTest, FileUrisKeepTheirForm) {
  std::string dir = TempDir("uri");
  LocalFileSystem fs;
  ASSERT_TRUE(WriteFile(&fs, "file://" + dir + "/a.txt", "hi").ok());
  EXPECT_EQ(*fs.ReadAll(dir + "/a.txt"), "hi");
  auto listed = fs.List("file://" + dir, false);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].path, "file://" + dir + "/a.txt");
  EXPECT_EQ(LocalPath("file:///a/b/"), "/a/b");
}

TEST(LocalFileSystemTest, PutIfAbsentAcrossProcesses) {
  std::string dir = TempDir("procs");
  std::string path = dir + "/00000000000000000001.json";
  constexpr int kProcs = 6;
  std::vector<pid_t> pids;
  for (int i = 0; i < kProcs; i++) {
    pid_t pid = ::fork();
    if (pid == 0) {
      LocalFileSystem fs;
      Status st = fs.PutIfAbsent(path, "process " + std::to_string(i));
      ::_exit(st.ok() ? 0 : (st.code() == StatusCode::kAlreadyExists ? 1 : 2));
    }
    pids.push_back(pid);
  }
  int won = 0, lost = 0;
  for (pid_t pid : pids) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    if (WEXITSTATUS(status) == 0) won++;
    if (WEXITSTATUS(status) == 1) lost++;
  }
  EXPECT_EQ(won, 1);
  EXPECT_EQ(lost, kProcs - 1);
}

TEST(LocalFileSystemTest, UnwritableLocationIsAnError) {
  LocalFileSystem fs;
  std::string dir = TempDir("unwritable");
  ASSERT_TRUE(WriteFile(&fs, dir + "/file", "x").ok());
  // A file where a directory is needed.
  auto w = fs.OpenForWrite(dir + "/file/child.txt");
  EXPECT_FALSE(w.ok());
  EXPECT_FALSE(fs.PutIfAbsent(dir + "/file/child.txt", "x").ok());
  EXPECT_FALSE(fs.CreateDirectories(dir + "/file").ok());
}

TEST(MemoryFileSystemTest, ReadersKeepTheirSnapshot) {
  MemoryFileSystem fs;
  fs.Put("mem://s/a", "old");
  auto r = fs.OpenForRead("mem://s/a");
  ASSERT_TRUE(r.ok());
  fs.Put("mem://s/a", "new!");
  std::string buf(3, '\0');
  ASSERT_TRUE((*r)->ReadAt(0, 3, reinterpret_cast<uint8_t*>(buf.data())).ok());
  EXPECT_EQ(buf, "old");
}

TEST(JoinPathTest, ExactlyOneSlash) {
  EXPECT_EQ(JoinPath("a", "b"), "a/b");
  EXPECT_EQ(JoinPath("a/", "b"), "a/b");
  EXPECT_EQ(JoinPath("a/", "/b"), "a/b");
  EXPECT_EQ(JoinPath("", "b"), "b");
  EXPECT_EQ(JoinPath("mem://", "b"), "mem://b");
  EXPECT_EQ(JoinPath("s3://bucket", "k"), "s3://bucket/k");
}

}  // namespace
}  // namespace alopex
