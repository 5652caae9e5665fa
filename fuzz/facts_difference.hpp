// Which member of two FileFacts differs, for a differential target's crash message (a
// reproducer then says "python.calls[3]" instead of only "not equal").
#pragma once
#include <string>

#include "analyzers/facts.hpp"

namespace mlaudit::fuzz {

std::string facts_difference(const facts::FileFacts& a, const facts::FileFacts& b);

}  // namespace mlaudit::fuzz
