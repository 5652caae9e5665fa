// Opening a workspace file for reading when it may have changed since the crawl saw it: a
// path that became a FIFO would block open(2) forever (until a writer comes), a device could
// stream without end. So the file is opened non-blocking and used only if it is a regular
// file (fstat on the descriptor itself, no race with a second lookup).
#pragma once
#include <string>

namespace mlaudit {

// A read-only descriptor (blocking again, close-on-exec) for a regular file, or -1 with
// `error` saying why ("not a regular file (FIFO)", strerror for the rest).
int open_regular_file(const std::string& path, std::string& error);

}  // namespace mlaudit
