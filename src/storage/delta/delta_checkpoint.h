// Delta checkpoints as files (PROTOCOL.md "Checkpoints"): reading the actions
// of a classic, multi-part part, V2 top-level (Parquet or JSON) or sidecar
// file, and serializing actions as a classic checkpoint Parquet file. Each
// Parquet row holds exactly one non-null top-level action column.
#pragma once

#include <string>
#include <vector>

#include "alopex/status.h"
#include "io/file_system.h"
#include "storage/delta/delta_actions.h"

namespace alopex {

// The actions stored in the checkpoint (or sidecar) file at `path`, in file
// order. A ".json" path is read as newline-delimited actions. Errors name the file.
Result<std::vector<Action>> ReadCheckpointFile(const std::string& path, FileSystem* fs);

// The Parquet bytes of a classic checkpoint holding `actions` (protocol,
// metaData, txn, add, remove, domainMetadata, and checkpointMetadata when
// `with_checkpoint_metadata`: a V2-spec classic checkpoint).
Result<std::string> SerializeCheckpoint(const std::vector<Action>& actions, bool with_checkpoint_metadata);

}  // namespace alopex
