#include "analyzers/artifacts/pickle_scanner.hpp"

#include "analyzers/artifacts/stream_reader.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <memory>
#include <unordered_map>

namespace mlaudit::artifacts {
namespace {

constexpr uint32_t kNoGlobal = std::numeric_limits<uint32_t>::max();
constexpr size_t kMaxItems = 32;  // items kept per tuple/dict: enough for shapes and small state dicts

// A value on the simulated stack. Containers and objects are shared nodes, as in Python: the
// memo and the stack refer to the same dict, so SETITEMS after MEMOIZE is seen through both.
struct Node;
struct Value {
  // Unknown: a value the scanner lost track of (an unreliable memo). Used as a module name, it
  // makes an unresolved global, which is reported rather than assumed harmless.
  enum class Kind : uint8_t { Other, Unknown, Str, Int, None, Global, Tuple, Dict, Object };
  Kind kind = Kind::Other;
  int64_t number = 0;
  uint32_t global = kNoGlobal;  // Global: the global; Object: its class (or callable)
  std::string text;
  std::shared_ptr<Node> node;   // Tuple, Dict, Object
};

struct Node {
  std::vector<Value> items;  // Tuple items, Dict key/value pairs flattened, Object arguments
  std::vector<Value> state;  // Object: what BUILD gave it (a tuple's items or a dict's pairs)
  bool complete = true;      // false when items were dropped past kMaxItems
};

Value node_value(Value::Kind kind, std::vector<Value> items, uint32_t global = kNoGlobal) {
  Value v;
  v.kind = kind;
  v.global = global;
  v.node = std::make_shared<Node>();
  if (items.size() > kMaxItems) {
    v.node->complete = false;
    items.resize(kMaxItems);
  }
  v.node->items = std::move(items);
  return v;
}

// What a mutation (SETITEMS, BUILD) stores: a fresh node holding only the scalars of `v`'s
// items. Nodes are shared only when created from values that already exist, and a mutation
// never stores a shared node, so no node can reach itself: a self-referencing dict cannot leak.
// Two levels are all the scanner reads (a state dict's dtype and its state).
Value snapshot(const Value& v) {
  if (!v.node) return v;
  auto scalars = [](const std::vector<Value>& from) {
    std::vector<Value> out;
    out.reserve(from.size());
    for (const auto& item : from) {
      Value copy = item;
      if (copy.node) copy = Value{};  // deeper containers are not followed
      out.push_back(std::move(copy));
    }
    return out;
  };
  Value out = v;
  out.node = std::make_shared<Node>();
  out.node->items = scalars(v.node->items);
  out.node->state = scalars(v.node->state);
  out.node->complete = v.node->complete;
  return out;
}


class Scanner {
 public:
  Scanner(ByteSource& source, const std::string& stream, const ScanLimits& limits, PickleScan& out)
      : source_(source), reader_(source), stream_(stream), limits_(limits), out_(out) {}

  void run() {
    for (size_t index = 0; index < limits_.max_pickles; ++index) {
      int next = reader_.peek();
      if (next < 0) {
        if (index == 0) out_.error = source_.error().empty() ? "empty stream" : source_.error();
        break;
      }
      // After a complete pickle only another pickle (PROTO) continues the stream: legacy torch
      // files hold raw tensor data after theirs, which is never unpickled.
      if (index > 0 && next != 0x80) break;
      frames_.assign(1, Frame{});
      size_t globals_before = out_.globals.size();
      bool stopped = parse();
      if (!stopped) {
        // Garbage after complete pickles is data that is never unpickled (legacy torch storages
        // whose size happens to start with 0x80): not a malformed pickle, and what was "read"
        // from it is noise, not globals.
        if (index > 0 && !error_is_cap_) {
          out_.error.clear();
          out_.globals.resize(globals_before);
          std::erase_if(index_, [&](const auto& entry) { return entry.second >= globals_before; });
        }
        break;
      }
      ++out_.pickles;
    }
    out_.bytes = reader_.offset();
  }

 private:
  struct Frame {
    std::vector<Value> stack;
    std::vector<size_t> marks;  // stack sizes at each MARK
    std::unordered_map<uint64_t, Value> memo;
    uint64_t memoized = 0;      // MEMOIZE's next key (len(memo) in a MEMOIZE-only pickle)
    bool used_put = false, used_memoize = false;
    bool numbering_broken = false;  // PUT and MEMOIZE mixed
    bool dropped = false;           // an entry was not kept (max_memo)
  };

  Frame& frame() { return frames_.back(); }

  bool fail(const std::string& why) {
    if (out_.error.empty()) out_.error = why + " at offset " + std::to_string(op_offset_);
    return false;
  }
  bool truncated() {
    if (!source_.error().empty()) {
      error_is_cap_ = source_.error().find("cap") != std::string::npos;
      return fail(source_.error());
    }
    return fail("truncated");
  }

  bool push(Value v) {
    if (frame().stack.size() >= limits_.max_stack) return fail("stack deeper than " + std::to_string(limits_.max_stack));
    frame().stack.push_back(std::move(v));
    return true;
  }
  size_t floor() { return frame().marks.empty() ? 0 : frame().marks.back(); }
  bool pop(Value& out) {
    if (frame().stack.size() <= floor()) return fail("stack underflow");
    out = std::move(frame().stack.back());
    frame().stack.pop_back();
    return true;
  }
  bool top(Value*& out) {
    if (frame().stack.size() <= floor()) return fail("stack underflow");
    out = &frame().stack.back();
    return true;
  }
  bool pop_mark(std::vector<Value>& items) {
    if (frame().marks.empty()) return fail("no MARK on the stack");
    size_t at = frame().marks.back();
    frame().marks.pop_back();
    items.assign(std::make_move_iterator(frame().stack.begin() + static_cast<std::ptrdiff_t>(at)),
                 std::make_move_iterator(frame().stack.end()));
    frame().stack.resize(at);
    return true;
  }

  // The index of (module, name) in out_.globals, recorded at the current opcode.
  uint32_t record(const std::string& module, const std::string& name) {
    std::string key = module + '\n' + name;
    if (auto it = index_.find(key); it != index_.end()) return it->second;
    if (out_.globals.size() >= limits_.max_globals) {
      key = std::string("?\n") + "(more than " + std::to_string(limits_.max_globals) + " distinct globals)";
      if (auto it = index_.find(key); it != index_.end()) return it->second;
      out_.globals.push_back({"?", key.substr(2), stream_, op_offset_, false});
    } else {
      out_.globals.push_back({module, name, stream_, op_offset_, false});
    }
    uint32_t at = static_cast<uint32_t>(out_.globals.size() - 1);
    index_[key] = at;
    return at;
  }
  Value global(const std::string& module, const std::string& name) {
    Value v;
    v.kind = Value::Kind::Global;
    v.global = record(module, name);
    return v;
  }
  void mark_called(const Value& callable) {
    if (callable.kind == Value::Kind::Global && callable.global != kNoGlobal) out_.globals[callable.global].called = true;
  }
  const facts::PickleGlobal* global_of(const Value& v) const {
    return v.global == kNoGlobal ? nullptr : &out_.globals[v.global];
  }

  Value str(std::string text, bool whole) {
    Value v;
    if (!whole || text.size() > limits_.max_string) {
      v.kind = Value::Kind::Other;  // data, not a name
      return v;
    }
    v.kind = Value::Kind::Str;
    v.text = std::move(text);
    return v;
  }
  Value integer(int64_t n) {
    Value v;
    v.kind = Value::Kind::Int;
    v.number = n;
    return v;
  }

  bool memo_put(uint64_t key) {
    Value* v;
    if (!top(v)) return false;
    Frame& f = frame();
    // MEMOIZE's key is len(memo): once PUT and MEMOIZE mix, the scanner's keys may differ from
    // the unpickler's, and every later lookup is unknown rather than possibly wrong.
    if (f.used_put && f.used_memoize) f.numbering_broken = true;
    if (v->kind == Value::Kind::Other) {
      f.memo.erase(key);
    } else if (f.memo.size() < limits_.max_memo || f.memo.count(key)) {
      f.memo[key] = *v;
    } else {
      f.memo.erase(key);
      f.dropped = true;
    }
    return true;
  }
  bool memo_get(uint64_t key) {
    Frame& f = frame();
    auto it = f.memo.find(key);
    if (!f.numbering_broken && it != f.memo.end()) return push(it->second);
    Value v;
    v.kind = f.numbering_broken || f.dropped ? Value::Kind::Unknown : Value::Kind::Other;
    return push(std::move(v));
  }

  // The text of a protocol-0 STRING argument ('...' or "..."): escapes are not decoded, so a
  // string with one is unknown rather than misread.
  Value quoted(const std::string& line, bool whole) {
    if (line.size() < 2 || (line[0] != '\'' && line[0] != '"') || line.back() != line[0]) return Value{};
    std::string inner = line.substr(1, line.size() - 2);
    if (inner.find('\\') != std::string::npos) {
      Value v;
      v.kind = Value::Kind::Unknown;
      return v;
    }
    return str(std::move(inner), whole);
  }

  bool text_global(bool inst) {
    std::string module, name;
    bool whole_module, whole_name;
    if (!reader_.line(module, limits_.max_string, whole_module) || !reader_.line(name, limits_.max_string, whole_name))
      return truncated();
    if (!whole_module || !whole_name) module = "?";
    Value callable = global(module, name);
    if (!inst) return push(std::move(callable));
    mark_called(callable);
    std::vector<Value> args;
    if (!pop_mark(args)) return false;
    return push(node_value(Value::Kind::Object, std::move(args), callable.global));
  }

  // joblib writes a NumpyArrayWrapper, then the array's raw bytes right after its BUILD: skip
  // them (seeking when the source can) by the size its state gives. Object arrays are a nested
  // pickle instead, which is scanned like the rest.
  bool after_build(Value& object) {
    const facts::PickleGlobal* cls = global_of(object);
    if (!cls || cls->name != "NumpyArrayWrapper" || cls->module.size() < 19 ||
        cls->module.compare(cls->module.size() - 19, 19, "joblib.numpy_pickle") != 0)
      return true;
    const Value* shape = nullptr;
    const Value* dtype = nullptr;
    bool aligned = false;
    const auto& state = object.node->state;
    for (size_t i = 0; i + 1 < state.size(); i += 2) {
      if (state[i].kind != Value::Kind::Str) continue;
      if (state[i].text == "shape") shape = &state[i + 1];
      if (state[i].text == "dtype") dtype = &state[i + 1];
      if (state[i].text == "numpy_array_alignment_bytes") aligned = state[i + 1].kind != Value::Kind::None;
    }
    auto unknown = [&] { return fail("joblib array data of unknown size follows; the rest is not scanned"); };
    if (!shape || shape->kind != Value::Kind::Tuple || !shape->node->complete || !dtype ||
        dtype->kind != Value::Kind::Object || !dtype->node->complete || dtype->node->items.empty() ||
        dtype->node->items[0].kind != Value::Kind::Str)
      return unknown();
    const std::string& type = dtype->node->items[0].text;
    if (!type.empty() && type[0] == 'O') {  // object array: pickle.load of a nested pickle
      frames_.push_back(Frame{});
      object = Value{};
      return true;
    }
    uint64_t count = 1;
    for (const auto& dim : shape->node->items) {
      if (dim.kind != Value::Kind::Int || dim.number < 0) return unknown();
      uint64_t d = static_cast<uint64_t>(dim.number);
      if (d != 0 && count > std::numeric_limits<uint64_t>::max() / d) return unknown();
      count *= d;
    }
    uint64_t itemsize = 0;
    const auto& dstate = dtype->node->state;
    if (dstate.size() > 5 && dstate[5].kind == Value::Kind::Int && dstate[5].number > 0)
      itemsize = static_cast<uint64_t>(dstate[5].number);  // flexible types (U, S, V) carry their size
    else if (type.size() >= 2 && std::string("biufcmM").find(type[0]) != std::string::npos &&
             std::all_of(type.begin() + 1, type.end(), [](char c) { return c >= '0' && c <= '9'; }) && type.size() <= 4)
      itemsize = std::stoull(type.substr(1));
    if (itemsize == 0 || (count != 0 && itemsize > std::numeric_limits<uint64_t>::max() / count)) return unknown();
    if (aligned) {
      uint8_t padding = 0;
      if (!reader_.byte(padding) || !reader_.skip(padding)) return truncated();
    }
    if (!reader_.skip(count * itemsize)) return truncated();
    object = Value{};  // the unpickler replaces the wrapper by the array
    return true;
  }

  // One pickle, up to its STOP. False (with out_.error set) when it cannot be followed.
  bool parse() {
    for (;;) {
      op_offset_ = reader_.offset();
      uint8_t op;
      if (!reader_.byte(op)) return truncated();
      if (op_offset_ == 0) out_.opened = true;  // until step() finds it is no opcode at all
      if (!step(op)) return false;
      if (op == '.') {
        if (frames_.size() == 1) return true;
        frames_.pop_back();  // the end of a nested joblib pickle: back to the outer one
      }
    }
  }

  bool read_line(std::string& line, bool& whole) {
    if (!reader_.line(line, limits_.max_string, whole)) return truncated();
    return true;
  }
  template <typename T>
  bool read_le(T& out, size_t width) {
    if (!reader_.little_endian(out, width)) return truncated();
    return true;
  }
  bool read_bytes(uint64_t n, std::string* out) {
    if (!reader_.bytes(n, out, limits_.max_string)) return truncated();
    return true;
  }

  bool container(Value::Kind kind) {  // pops to MARK, pushes the container
    std::vector<Value> items;
    if (!pop_mark(items)) return false;
    if (kind == Value::Kind::Tuple || kind == Value::Kind::Dict) return push(node_value(kind, std::move(items)));
    return push(Value{});
  }
  bool set_items(std::vector<Value> pairs) {
    Value* target;
    if (!top(target)) return false;
    if (target->kind == Value::Kind::Dict) {
      auto& items = target->node->items;
      for (auto& v : pairs) {
        if (items.size() >= 2 * kMaxItems) {
          target->node->complete = false;
          break;
        }
        items.push_back(snapshot(v));
      }
    }
    return true;
  }

  bool step(uint8_t op) {
    std::string text;
    bool whole = true;
    Value a, b, c;
    std::vector<Value> items;
    switch (op) {
      case '(':  // MARK
        frame().marks.push_back(frame().stack.size());
        return true;
      case '.':  // STOP
        return pop(a);
      case '0':  // POP
        if (frame().stack.size() > floor()) return pop(a);
        return pop_mark(items);
      case '1':  // POP_MARK
        return pop_mark(items);
      case '2': {  // DUP
        Value* t;
        if (!top(t)) return false;
        Value copy = *t;
        return push(std::move(copy));
      }
      case 'F':  // FLOAT
        return read_line(text, whole) && push(Value{});
      case 'I': {  // INT (I01/I00 are True/False)
        if (!read_line(text, whole)) return false;
        char* end = nullptr;
        long long n = std::strtoll(text.c_str(), &end, 10);
        if (text.empty() || (end && *end)) return push(Value{});
        return push(integer(n));
      }
      case 'J': {  // BININT
        int32_t n = 0;
        return read_le(n, 4) && push(integer(n));
      }
      case 'K': {  // BININT1
        uint8_t n = 0;
        return read_le(n, 1) && push(integer(n));
      }
      case 'M': {  // BININT2
        uint16_t n = 0;
        return read_le(n, 2) && push(integer(n));
      }
      case 'L': {  // LONG
        if (!read_line(text, whole)) return false;
        if (!text.empty() && text.back() == 'L') text.pop_back();
        char* end = nullptr;
        long long n = std::strtoll(text.c_str(), &end, 10);
        if (text.empty() || (end && *end) || !whole) return push(Value{});
        return push(integer(n));
      }
      case 0x8a: {  // LONG1
        uint8_t n = 0;
        if (!read_le(n, 1) || !read_bytes(n, &text)) return false;
        if (n == 0) return push(integer(0));
        if (n > 8) return push(Value{});
        uint64_t v = 0;
        for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(text[i])) << (8 * i);
        if (n < 8 && (static_cast<uint8_t>(text[n - 1]) & 0x80)) v |= ~uint64_t{0} << (8 * n);  // sign-extend
        return push(integer(static_cast<int64_t>(v)));
      }
      case 0x8b: {  // LONG4
        int32_t n = 0;
        if (!read_le(n, 4)) return false;
        if (n < 0) return fail("LONG4 with a negative length");
        return read_bytes(static_cast<uint64_t>(n), nullptr) && push(Value{});
      }
      case 'N': {  // NONE
        Value v;
        v.kind = Value::Kind::None;
        return push(std::move(v));
      }
      case 0x88: return push(integer(1));  // NEWTRUE
      case 0x89: return push(integer(0));  // NEWFALSE
      case 'G':  // BINFLOAT
        return read_bytes(8, nullptr) && push(Value{});
      case 'P':  // PERSID
        return read_line(text, whole) && push(Value{});
      case 'Q':  // BINPERSID
        return pop(a) && push(Value{});
      case 'R': {  // REDUCE
        if (!pop(b) || !pop(a)) return false;
        mark_called(a);
        std::vector<Value> args;
        if (b.kind == Value::Kind::Tuple) args = b.node->items;
        // A call's result, whatever called it: a string computed this way can feed STACK_GLOBAL.
        return push(node_value(Value::Kind::Object, std::move(args), a.kind == Value::Kind::Global ? a.global : kNoGlobal));
      }
      case 'S':  // STRING
        return read_line(text, whole) && push(quoted(text, whole));
      case 'T': {  // BINSTRING
        int32_t n = 0;
        if (!read_le(n, 4)) return false;
        if (n < 0) return fail("BINSTRING with a negative length");
        return read_bytes(static_cast<uint64_t>(n), &text) && push(str(text, static_cast<uint64_t>(n) <= limits_.max_string));
      }
      case 'U': {  // SHORT_BINSTRING
        uint8_t n = 0;
        return read_le(n, 1) && read_bytes(n, &text) && push(str(text, true));
      }
      case 'V': {  // UNICODE (raw-unicode-escape: an escape makes it unknown, never misread)
        if (!read_line(text, whole)) return false;
        if (text.find('\\') != std::string::npos) {
          Value v;
          v.kind = Value::Kind::Unknown;
          return push(std::move(v));
        }
        return push(str(text, whole));
      }
      case 'X': {  // BINUNICODE
        uint32_t n = 0;
        return read_le(n, 4) && read_bytes(n, &text) && push(str(text, n <= limits_.max_string));
      }
      case 0x8c: {  // SHORT_BINUNICODE
        uint8_t n = 0;
        return read_le(n, 1) && read_bytes(n, &text) && push(str(text, true));
      }
      case 0x8d: {  // BINUNICODE8
        uint64_t n = 0;
        return read_le(n, 8) && read_bytes(n, &text) && push(str(text, n <= limits_.max_string));
      }
      case 'B': {  // BINBYTES
        uint32_t n = 0;
        return read_le(n, 4) && read_bytes(n, nullptr) && push(Value{});
      }
      case 'C': {  // SHORT_BINBYTES
        uint8_t n = 0;
        return read_le(n, 1) && read_bytes(n, nullptr) && push(Value{});
      }
      case 0x8e:    // BINBYTES8
      case 0x96: {  // BYTEARRAY8
        uint64_t n = 0;
        return read_le(n, 8) && read_bytes(n, nullptr) && push(Value{});
      }
      case 0x97:  // NEXT_BUFFER
        return push(Value{});
      case 0x98: {  // READONLY_BUFFER
        Value* t;
        return top(t);
      }
      case 'a':  // APPEND
        return pop(a) && top_exists();
      case 'e':  // APPENDS
        return pop_mark(items) && top_exists();
      case 0x90:  // ADDITEMS
        return pop_mark(items) && top_exists();
      case 'b': {  // BUILD
        if (!pop(b)) return false;
        Value* object;
        if (!top(object)) return false;
        mark_called(*object);  // BUILD on a global itself sets attributes of a module-level object
        if (object->kind != Value::Kind::Object) return true;
        if ((b.kind == Value::Kind::Tuple || b.kind == Value::Kind::Dict) && b.node) {
          object->node->state.clear();
          for (const auto& item : b.node->items) object->node->state.push_back(snapshot(item));
        }
        return after_build(*object);
      }
      case 'c':  // GLOBAL
        return text_global(false);
      case 'i':  // INST
        return text_global(true);
      case 0x93: {  // STACK_GLOBAL
        if (!pop(b) || !pop(a)) return false;
        if (a.kind == Value::Kind::Str && b.kind == Value::Kind::Str) return push(global(a.text, b.text));
        // Operands the scanner lost track of, or computed by a call (`str.join(...)` can spell
        // "os"): the unpickler would resolve them; the scanner reports them unresolved.
        auto untracked = [](const Value& v) { return v.kind == Value::Kind::Unknown || v.kind == Value::Kind::Object; };
        if ((untracked(a) || a.kind == Value::Kind::Str) && (untracked(b) || b.kind == Value::Kind::Str))
          return push(global("?", "(STACK_GLOBAL operands the scanner could not follow)"));
        return fail("STACK_GLOBAL on values that are not strings");
      }
      case 0x82: case 0x83: case 0x84: {  // EXT1, EXT2, EXT4: the copyreg extension registry
        uint32_t code = 0;
        if (!read_le(code, op == 0x82 ? 1 : op == 0x83 ? 2 : 4)) return false;
        return push(global("?", "(copyreg extension code " + std::to_string(code) + ")"));
      }
      case 'd':  // DICT
        return container(Value::Kind::Dict);
      case '}':  // EMPTY_DICT
        return push(node_value(Value::Kind::Dict, {}));
      case 'l':  // LIST
      case 0x91:  // FROZENSET
        return container(Value::Kind::Other);
      case ']':  // EMPTY_LIST
      case 0x8f:  // EMPTY_SET
        return push(Value{});
      case 't':  // TUPLE
        return container(Value::Kind::Tuple);
      case ')':  // EMPTY_TUPLE
        return push(node_value(Value::Kind::Tuple, {}));
      case 0x85: case 0x86: case 0x87: {  // TUPLE1, TUPLE2, TUPLE3
        size_t n = op - 0x84;
        std::vector<Value> t(n);
        for (size_t i = n; i-- > 0;)
          if (!pop(t[i])) return false;
        return push(node_value(Value::Kind::Tuple, std::move(t)));
      }
      case 'g': {  // GET
        if (!read_line(text, whole)) return false;
        return memo_get(std::strtoull(text.c_str(), nullptr, 10));
      }
      case 'h': {  // BINGET
        uint8_t n = 0;
        return read_le(n, 1) && memo_get(n);
      }
      case 'j': {  // LONG_BINGET
        uint32_t n = 0;
        return read_le(n, 4) && memo_get(n);
      }
      case 'p': {  // PUT
        if (!read_line(text, whole)) return false;
        frame().used_put = true;
        return memo_put(std::strtoull(text.c_str(), nullptr, 10));
      }
      case 'q': {  // BINPUT
        uint8_t n = 0;
        frame().used_put = true;
        return read_le(n, 1) && memo_put(n);
      }
      case 'r': {  // LONG_BINPUT
        uint32_t n = 0;
        frame().used_put = true;
        return read_le(n, 4) && memo_put(n);
      }
      case 0x94:  // MEMOIZE
        frame().used_memoize = true;
        return memo_put(frame().memoized++);
      case 'o': {  // OBJ
        if (!pop_mark(items)) return false;
        if (items.empty()) return fail("OBJ without a class");
        mark_called(items[0]);
        uint32_t cls = items[0].kind == Value::Kind::Global ? items[0].global : kNoGlobal;
        items.erase(items.begin());
        return push(node_value(Value::Kind::Object, std::move(items), cls));
      }
      case 0x81: {  // NEWOBJ
        if (!pop(b) || !pop(a)) return false;
        mark_called(a);
        return push(node_value(Value::Kind::Object, b.kind == Value::Kind::Tuple ? b.node->items : std::vector<Value>{},
                               a.kind == Value::Kind::Global ? a.global : kNoGlobal));
      }
      case 0x92: {  // NEWOBJ_EX
        if (!pop(c) || !pop(b) || !pop(a)) return false;
        mark_called(a);
        return push(node_value(Value::Kind::Object, {}, a.kind == Value::Kind::Global ? a.global : kNoGlobal));
      }
      case 's':  // SETITEM
        if (!pop(b) || !pop(a)) return false;
        return set_items({std::move(a), std::move(b)});
      case 'u':  // SETITEMS
        if (!pop_mark(items)) return false;
        if (items.size() % 2) return fail("SETITEMS with an odd number of items");
        return set_items(std::move(items));
      case 0x80: {  // PROTO
        uint8_t version = 0;
        if (!read_le(version, 1)) return false;
        if (version > 5) return fail("unsupported pickle protocol " + std::to_string(version));
        return true;
      }
      case 0x95: {  // FRAME
        uint64_t n = 0;
        return read_le(n, 8);
      }
      default: {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02x", op);
        if (op_offset_ == 0) out_.opened = false;
        return fail(std::string("invalid opcode ") + hex);
      }
    }
  }
  bool top_exists() {
    Value* t;
    return top(t);
  }

  ByteSource& source_;
  StreamReader reader_;
  const std::string& stream_;
  const ScanLimits& limits_;
  PickleScan& out_;
  std::vector<Frame> frames_;
  std::unordered_map<std::string, uint32_t> index_;
  uint64_t op_offset_ = 0;
  bool error_is_cap_ = false;
};

}  // namespace

PickleScan scan_pickles(ByteSource& source, const std::string& stream, const ScanLimits& limits) {
  PickleScan out;
  Scanner(source, stream, limits, out).run();
  return out;
}

}  // namespace mlaudit::artifacts
