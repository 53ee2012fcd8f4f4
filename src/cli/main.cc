// The alopex executable: the shell of src/cli.
#include "cli/shell.h"

int main(int argc, char** argv) { return alopex::cli::RunShell(argc, argv); }
