#include "json_errors.hpp"

#include <google/protobuf/struct.pb.h>

#include <iostream>
#include <sstream>
#include <streambuf>
#include <string>

#include "bre/io.hpp"

namespace bre::cli {
namespace {

// Passes every character on to `target` and keeps a copy (or only a count).
class TeeBuffer : public std::streambuf {
 public:
  TeeBuffer(std::streambuf* target, bool keep) : target_(target), keep_(keep) {}
  const std::string& kept() const { return kept_; }
  std::size_t count() const { return count_; }

 protected:
  int overflow(int c) override {
    if (c == traits_type::eof()) return traits_type::not_eof(c);
    ++count_;
    if (keep_) kept_ += static_cast<char>(c);
    return target_->sputc(static_cast<char>(c));
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    count_ += static_cast<std::size_t>(n);
    if (keep_) kept_.append(s, static_cast<std::size_t>(n));
    return target_->sputn(s, n);
  }
  int sync() override { return target_->pubsync(); }

 private:
  std::streambuf* target_;
  bool keep_;
  std::string kept_;
  std::size_t count_ = 0;
};

// The lines of `text` that are not warnings, without the trailing newline.
std::string error_lines(const std::string& text) {
  std::istringstream in(text);
  std::string line;
  std::string out;
  while (std::getline(in, line)) {
    if (line.empty() || line.find(": warning: ") != std::string::npos) continue;
    out += (out.empty() ? "" : "\n") + line;
  }
  return out;
}

}  // namespace

struct JsonErrors::Streams {
  std::streambuf* cout_target = std::cout.rdbuf();
  std::streambuf* cerr_target = std::cerr.rdbuf();
  TeeBuffer out{cout_target, false};
  TeeBuffer err{cerr_target, true};
};

JsonErrors::JsonErrors() : streams_(std::make_unique<Streams>()) {
  std::cout.rdbuf(&streams_->out);
  std::cerr.rdbuf(&streams_->err);
}

JsonErrors::~JsonErrors() {
  std::cout.flush();
  std::cerr.flush();
  std::cout.rdbuf(streams_->cout_target);
  std::cerr.rdbuf(streams_->cerr_target);
}

int JsonErrors::finish(int exit_code) {
  std::cout.flush();
  if (exit_code == 0 || streams_->out.count() > 0) return exit_code;
  google::protobuf::Struct object;
  auto& error = *(*object.mutable_fields())["error"].mutable_struct_value()->mutable_fields();
  error["exit_code"].set_number_value(exit_code);
  const std::string message = error_lines(streams_->err.kept());
  error["message"].set_string_value(message.empty() ? "failed without a message" : message);
  std::cout << to_json(object);  // ends with a newline
  return exit_code;
}

}  // namespace bre::cli
