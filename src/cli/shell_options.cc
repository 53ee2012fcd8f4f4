#include "cli/shell_options.h"

#include <charconv>

namespace alopex::cli {

std::string ShellUsage() {
  return "Usage: alopex [OPTIONS] [DBDIR | :memory:]\n"
         "\n"
         "Opens the database directory DBDIR (created if missing), or an in-memory\n"
         "database when none is given, and runs SQL from -c/-f, from standard input\n"
         "when it is not a terminal, or interactively.\n"
         "\n"
         "Options:\n"
         "  -c SQL              run SQL (or a dot command) and exit; repeatable, runs in order\n"
         "  -f FILE             run the SQL script FILE and exit; repeatable\n"
         "  --format FORMAT     output format: table (default), csv, tsv, json, jsonl, markdown\n"
         "  --catalog CONN      catalog connection, e.g. postgresql://host/db (default: embedded)\n"
         "  --threads N         worker threads (default: all cores)\n"
         "  --readonly          open the database read-only\n"
         "  --help              show this help and exit\n"
         "  --version           show the version and exit\n"
         "\n"
         "Type .help in the shell for its dot commands.\n";
}

Result<ShellOptions> ParseShellOptions(const std::vector<std::string>& args) {
  ShellOptions options;
  bool have_database = false;
  for (size_t i = 0; i < args.size(); i++) {
    std::string arg = args[i];
    std::string inline_value;
    bool has_inline_value = false;
    if (arg.rfind("--", 0) == 0) {
      size_t eq = arg.find('=');
      if (eq != std::string::npos) {
        inline_value = arg.substr(eq + 1);
        has_inline_value = true;
        arg = arg.substr(0, eq);
      }
    }
    // The option's value: after '=' or the next argument.
    auto value = [&]() -> Result<std::string> {
      if (has_inline_value) return inline_value;
      if (i + 1 >= args.size()) return Status::InvalidArgument("option " + arg + " needs a value");
      return args[++i];
    };

    if (arg == "-c" || arg == "--command") {
      ALOPEX_ASSIGN_OR_RETURN(std::string sql, value());
      options.commands.push_back({ShellCommand::Kind::kSql, std::move(sql)});
    } else if (arg == "-f" || arg == "--file") {
      ALOPEX_ASSIGN_OR_RETURN(std::string path, value());
      options.commands.push_back({ShellCommand::Kind::kFile, std::move(path)});
    } else if (arg == "--format" || arg == "--mode" || arg == "-m") {
      ALOPEX_ASSIGN_OR_RETURN(std::string name, value());
      ALOPEX_ASSIGN_OR_RETURN(options.format, ParseOutputFormat(name));
    } else if (arg == "--catalog") {
      ALOPEX_ASSIGN_OR_RETURN(options.catalog, value());
    } else if (arg == "--threads") {
      ALOPEX_ASSIGN_OR_RETURN(std::string n, value());
      int threads = -1;
      auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), threads);
      if (ec != std::errc() || end != n.data() + n.size() || threads < 0)
        return Status::InvalidArgument("--threads expects a non-negative integer, got \"" + n + "\"");
      options.threads = threads;
    } else if (arg == "--readonly" || arg == "-readonly") {
      options.read_only = true;
    } else if (arg == "--help" || arg == "-h" || arg == "-help") {
      options.help = true;
    } else if (arg == "--version" || arg == "-version") {
      options.version = true;
    } else if (arg == "-csv" || arg == "-json" || arg == "-jsonl" || arg == "-markdown" || arg == "-table") {
      ALOPEX_ASSIGN_OR_RETURN(options.format, ParseOutputFormat(arg.substr(1)));
    } else if (arg.size() > 1 && arg[0] == '-') {
      return Status::InvalidArgument("unknown option " + args[i] + " (see alopex --help)");
    } else if (!have_database) {
      options.database = arg;
      have_database = true;
    } else {
      return Status::InvalidArgument("unexpected argument \"" + arg + "\": only one database may be given");
    }
  }
  return options;
}

}  // namespace alopex::cli
