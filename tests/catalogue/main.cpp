// The catalogue's executable: runs the rows as doctest tests, or writes / checks the Markdown
// table docs/bad-inputs.md that lists them (--write-table=PATH, --check-table=PATH).
#define DOCTEST_CONFIG_IMPLEMENT
#include "catalogue.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <unistd.h>

namespace evmarket_catalogue {

std::string scratch_directory() {
  static const std::string directory = [] {
    const auto path = std::filesystem::temp_directory_path() / ("evmarket-catalogue-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
    return path.string();
  }();
  return directory;
}

std::string scratch_path(const std::string& name) { return scratch_directory() + "/" + name; }

std::string dynamic_error_name(const evmarket::error& e) {
  using namespace evmarket;
  // Most derived first: inconsistent_judgments is a bad_input.
  if (dynamic_cast<const inconsistent_judgments*>(&e)) return error_name<inconsistent_judgments>();
  if (dynamic_cast<const bad_input*>(&e)) return error_name<bad_input>();
  if (dynamic_cast<const overflow_error*>(&e)) return error_name<overflow_error>();
  if (dynamic_cast<const infeasible*>(&e)) return error_name<infeasible>();
  if (dynamic_cast<const solver_failure*>(&e)) return error_name<solver_failure>();
  if (dynamic_cast<const decode_error*>(&e)) return error_name<decode_error>();
  if (dynamic_cast<const block_rejected*>(&e)) return error_name<block_rejected>();
  if (dynamic_cast<const store_error*>(&e)) return error_name<store_error>();
  if (dynamic_cast<const bancor_evm_error*>(&e)) return error_name<bancor_evm_error>();
  if (dynamic_cast<const phase_error*>(&e)) return error_name<phase_error>();
  return std::string("evmarket::error (") + typeid(e).name() + ")";
}

namespace {

struct registered_section {
  int rank;
  std::string component;
  std::function<void(section&)> build;
};

std::vector<registered_section>& registry() {
  static std::vector<registered_section> sections;
  return sections;
}

/// The table's rows are what the doctest runs: built once, in rank order.
std::vector<row> build_rows() {
  auto sections = registry();
  std::stable_sort(sections.begin(), sections.end(),
                   [](const registered_section& a, const registered_section& b) { return a.rank < b.rank; });
  std::vector<row> rows;
  for (const registered_section& s : sections) {
    section builder(s.component, rows);
    s.build(builder);
  }
  return rows;
}

/// `text` with the scratch directory written as "<tmp>", as the table shows it.
std::string without_scratch_directory(std::string text) {
  const std::string directory = scratch_directory();
  for (std::size_t at = text.find(directory); at != std::string::npos; at = text.find(directory, at))
    text.replace(at, directory.size(), "<tmp>");
  return text;
}

/// The message must name the field and the value; a bad_input says "field = value".
bool names_field_and_value(const row& r, const std::string& raw) {
  const std::string message = without_scratch_directory(raw);
  if (r.expected == "bad_input" || r.expected == "inconsistent_judgments")
    return message.find(r.field + " = " + r.value) != std::string::npos;
  return message.find(r.field) != std::string::npos && message.find(r.value) != std::string::npos;
}

std::string cell(std::string_view raw) {
  const std::string text = without_scratch_directory(std::string(raw));
  std::string out;
  for (char c : text) {
    if (c == '|') out += "\\|";
    else if (c == '\n') out += ' ';
    else out += c;
  }
  return out;
}

std::string table() {
  const std::vector<row>& rows = all_rows();
  std::vector<std::string> order;
  std::map<std::string, std::size_t> cases;
  std::map<std::string, std::set<std::string>> entries;
  for (const row& r : rows) {
    if (cases[r.component]++ == 0) order.push_back(r.component);
    entries[r.component].insert(r.entry);
  }
  std::size_t total_entries = 0;
  for (const auto& [component, names] : entries) total_entries += names.size();

  std::ostringstream out;
  out << "# Bad inputs: the catalogue\n\n"
      << "Generated from the rows of `tests/catalogue/` by `bad_input_catalogue_test --write-table=docs/bad-inputs.md`;\n"
      << "do not edit by hand. The CTest test `bad_input_catalogue_table` fails when this file differs from\n"
      << "what the rows produce, and `bad_input_catalogue_test` runs every row as a test that checks the\n"
      << "exact error type, that the message names the field and the value, and that the object the call\n"
      << "was made on is unchanged afterwards (\"no object\": a constructor or a function of values).\n"
      << "The message column is the message the library really gives.\n\n"
      << rows.size() << " cases against " << total_entries << " entry points.\n\n"
      << "| component | entry points | cases |\n|---|---:|---:|\n";
  for (const std::string& c : order) out << "| " << c << " | " << entries[c].size() << " | " << cases[c] << " |\n";
  std::string current;
  for (const row& r : rows) {
    if (r.component != current) {
      current = r.component;
      out << "\n## " << current << "\n\n| entry point | bad input | error | message | unchanged |\n|---|---|---|---|---|\n";
    }
    const outcome o = r.run();
    out << "| `" << cell(r.entry) << "` | " << cell(r.input) << " | `" << cell(o.got.type) << "` | "
        << cell(o.got.message) << " | " << r.state << " |\n";
  }
  return out.str();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

bool add_section(int rank, std::string component, std::function<void(section&)> build) {
  registry().push_back({rank, std::move(component), std::move(build)});
  return true;
}

const std::vector<row>& all_rows() {
  static const std::vector<row> rows = build_rows();
  return rows;
}

}  // namespace evmarket_catalogue

using namespace evmarket_catalogue;

TEST_CASE("every row of the bad-input catalogue is rejected as the table says") {
  const std::vector<row>& rows = all_rows();
  CHECK(rows.size() >= 250);
  std::set<std::pair<std::string, std::string>> seen;
  for (const row& r : rows) {
    INFO(r.component << ": " << r.entry << " with " << r.input);
    CHECK_MESSAGE(seen.insert({r.entry, r.input}).second, "the same case twice");
    const outcome o = r.run();
    CHECK(o.got.type == r.expected);
    INFO("message: " << o.got.message);
    CHECK_MESSAGE(names_field_and_value(r, o.got.message), "the message must name " << r.field << " and " << r.value);
    CHECK_MESSAGE(o.unchanged, "the object changed although the call failed");
  }
}

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--write-table=", 0) == 0) {
      std::ofstream(arg.substr(14), std::ios::binary) << table();
      std::filesystem::remove_all(scratch_directory());
      return 0;
    }
    if (arg.rfind("--check-table=", 0) == 0) {
      const std::string path = arg.substr(14);
      const bool same_table = read_file(path) == table();
      std::filesystem::remove_all(scratch_directory());
      if (same_table) return 0;
      std::cerr << path << " differs from the catalogue's rows; regenerate it with\n  " << argv[0]
                << " --write-table=" << path << "\nand commit the result.\n";
      return 1;
    }
  }
  doctest::Context context(argc, argv);
  const int status = context.run();
  std::filesystem::remove_all(scratch_directory());
  return status;
}
