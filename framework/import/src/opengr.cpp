#include "bre/import/opengr.hpp"

#include <algorithm>
#include <set>

namespace bre::import {
namespace {

std::vector<std::string> split_words(const std::string& normalised) {
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start < normalised.size()) {
    std::size_t end = normalised.find(' ', start);
    if (end == std::string::npos) end = normalised.size();
    words.push_back(normalised.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }
bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Code of a non-municipal body: a prefix and the normalised name with '-' for spaces.
std::string body_code(const std::string& prefix, const std::string& normalised_core) {
  std::string code = prefix;
  for (char c : normalised_core) code += c == ' ' ? '-' : c;
  return code;
}

// The core of a water board's name: without its prefix and without articles, so that
// "Hoogheemraadschap van Schieland en de Krimpenerwaard" and "... en Krimpenerwaard"
// give the same code.
std::string water_board_core(const std::string& name) {
  std::string core;
  for (const std::string& word : split_words(normalise_name(name))) {
    if (word == "waterschap" || word == "hoogheemraadschap" || word == "hoogheermraadschap" || word == "wetterskip" ||
        word == "van" || word == "de" || word == "het" || word == "t") {
      continue;
    }
    core += (core.empty() ? "" : " ") + word;
  }
  return core;
}

bool is_water_board_name(const std::string& normalised) {
  return starts_with(normalised, "waterschap ") || starts_with(normalised, "hoogheemraadschap ") ||
         starts_with(normalised, "hoogheermraadschap ") || starts_with(normalised, "wetterskip ");
}

std::string province_of_row(const std::string& column) {
  std::string normalised = normalise_name(column);
  if (starts_with(normalised, "provincie ")) normalised = normalised.substr(10);
  return normalised;
}

struct Participant {
  std::int64_t line = 0;
  std::string name;
  std::string province;  // normalised, from the row's Provincie column
};

struct ArrangementRows {
  std::string name;
  std::int64_t first_line = 0;
  std::vector<Participant> participants;
};

// The participant rows grouped by arrangement name, in the order of first appearance.
Expected<std::vector<ArrangementRows>> group_by_arrangement(const CsvTable& table, const std::string& file) {
  std::vector<ArrangementRows> groups;
  std::map<std::string, std::size_t> group_of_name;
  for (const auto& record : table.records) {
    Participant participant;
    participant.line = record.line;
    participant.name = trim(repair_double_encoding(record.fields[0]));
    participant.province = province_of_row(repair_double_encoding(record.fields[4]));
    const std::string arrangement = trim(repair_double_encoding(record.fields[1]));
    if (participant.name.empty() || arrangement.empty()) {
      return invalid_argument(file + ":" + std::to_string(record.line) + ": Deelnemer and Gemeenschappelijke regeling must not be empty");
    }
    auto [it, inserted] = group_of_name.emplace(arrangement, groups.size());
    if (inserted) groups.push_back({arrangement, record.line, {}});
    groups[it->second].participants.push_back(std::move(participant));
  }
  return groups;
}

struct ResolvedParticipants {
  std::vector<std::string> municipalities;  // codes, each once, in row order
  std::vector<std::string> bodies;          // codes of other bodies, each once, in row order
};

void add_unique(std::vector<std::string>& list, const std::string& code) {
  if (std::find(list.begin(), list.end(), code) == list.end()) list.push_back(code);
}

// Resolves participant names to municipality and body codes; the bodies met on the way
// (foreign, water board, national) are added to the import once each.
class ParticipantResolver {
 public:
  ParticipantResolver(const std::string& file, const OpenGrContext& context, ResolutionReport& report,
                      OpenGrImport& result)
      : file_(file), context_(context), report_(report), result_(result) {}

  ResolvedParticipants resolve(const ArrangementRows& group) {
    ResolvedParticipants resolved;
    ambiguous_.clear();
    for (const Participant& p : group.participants) resolve_one(p, resolved);
    // Last, once every unambiguous member is known; in reverse so that the recorded
    // positions stay valid and the codes keep their row order.
    for (auto it = ambiguous_.rbegin(); it != ambiguous_.rend(); ++it) decide_by_co_members(*it, resolved);
    return resolved;
  }

 private:
  // A participant whose name several municipalities share, with its candidates and
  // the place its code takes among the municipalities when it is decided.
  struct Ambiguous {
    const Participant* participant = nullptr;
    NameResolution resolution;
    std::size_t position = 0;
  };

  // The candidate whose province holds strictly more of the other members than any
  // other candidate's province; none (reported as before) on a draw or without provinces.
  void decide_by_co_members(const Ambiguous& a, ResolvedParticipants& out) {
    std::vector<std::size_t> votes(a.resolution.codes.size(), 0);
    for (std::size_t c = 0; c < a.resolution.codes.size(); ++c) {
      auto province = context_.province_of_municipality.find(a.resolution.codes[c]);
      if (province == context_.province_of_municipality.end()) continue;
      for (const std::string& member : out.municipalities) {
        auto member_province = context_.province_of_municipality.find(member);
        if (member_province != context_.province_of_municipality.end() && member_province->second == province->second) {
          ++votes[c];
        }
      }
    }
    const auto best = std::max_element(votes.begin(), votes.end());
    const bool decided = best != votes.end() && *best > 0 && std::count(votes.begin(), votes.end(), *best) == 1;
    if (!decided) {
      leave_out(*a.participant, "ambiguous between " + candidate_list(a.resolution) + " (" + a.resolution.via +
                                    "), and the arrangement's other municipalities do not decide; participant left out");
      return;
    }
    const std::string& code = a.resolution.codes[static_cast<std::size_t>(best - votes.begin())];
    if (std::find(out.municipalities.begin(), out.municipalities.end(), code) != out.municipalities.end()) return;
    out.municipalities.insert(out.municipalities.begin() + static_cast<std::ptrdiff_t>(a.position), code);
    ++result_.resolved_by_co_members;
    report_.add(file_, a.participant->line, "resolved by co-members", a.participant->name,
                "ambiguous between " + candidate_list(a.resolution) + "; " + code + " lies in the province of " +
                    std::to_string(*best) + " of the arrangement's other municipalities, the other candidates' in fewer");
  }

  static std::string candidate_list(const NameResolution& resolved) {
    std::string candidates;
    for (const auto& code : resolved.codes) candidates += (candidates.empty() ? "" : ", ") + code;
    return candidates;
  }

  void resolve_one(const Participant& p, ResolvedParticipants& out) {
    const std::string normalised = normalise_name(p.name);
    if (ends_with(normalised, " duitsland")) {
      add_unique(out.bodies, add_body(body_code("DE-", normalised.substr(0, normalised.size() - 10)), p.name,
                                      v1::BODY_KIND_FOREIGN, p.line));
      return;
    }
    if (starts_with(normalised, "provincie ")) {
      auto province = context_.provinces.find(normalised.substr(10));
      if (province != context_.provinces.end()) {
        add_unique(out.bodies, province->second);
      } else {
        leave_out(p, "a province of no known name; participant left out");
      }
      return;
    }
    auto board_alias = context_.water_board_aliases.find(normalised);
    if (is_water_board_name(normalised) || board_alias != context_.water_board_aliases.end()) {
      const std::string board = board_alias != context_.water_board_aliases.end() ? board_alias->second : p.name;
      add_unique(out.bodies, add_body(body_code("WS-", water_board_core(board)), board, v1::BODY_KIND_WATER_BOARD, p.line));
      return;
    }
    if (normalised == "rijk" || starts_with(normalised, "ministerie ") || starts_with(normalised, "rijks")) {
      add_unique(out.bodies, add_body(body_code("NL-", normalised), p.name, v1::BODY_KIND_NATIONAL, p.line));
      return;
    }
    resolve_municipality(p, out);
  }

  void resolve_municipality(const Participant& p, ResolvedParticipants& out) {
    const NameResolution resolved = context_.names->resolve(p.name, p.province);
    switch (resolved.outcome) {
      case NameResolution::Outcome::kResolved:
        for (const auto& code : resolved.codes) add_unique(out.municipalities, code);
        break;
      case NameResolution::Outcome::kAmbiguous:
        ambiguous_.push_back({&p, resolved, out.municipalities.size()});
        break;
      case NameResolution::Outcome::kSplit:
        leave_out(p, "municipality split over " + candidate_list(resolved) + " (" + resolved.via +
                         "); participant left out");
        break;
      case NameResolution::Outcome::kUnknown:
        leave_out(p, "not a municipality, province, water board, national or foreign body by any known name; participant left out");
        break;
    }
  }

  void leave_out(const Participant& p, const std::string& why) {
    report_.add(file_, p.line, "unresolved participant", p.name, why);
    ++result_.unresolved_participants;
  }

  std::string add_body(const std::string& code, const std::string& name, v1::BodyKind kind, std::int64_t line) {
    if (body_index_.emplace(code, result_.bodies.size()).second) {
      v1::Body body;
      body.set_code(code);
      body.set_name(name);
      body.set_kind(kind);
      body.mutable_source()->set_file(file_);
      body.mutable_source()->set_line(line);
      result_.bodies.push_back(std::move(body));
    }
    return code;
  }

  const std::string& file_;
  const OpenGrContext& context_;
  ResolutionReport& report_;
  OpenGrImport& result_;
  std::map<std::string, std::size_t> body_index_;  // code → index in result_.bodies
  std::vector<Ambiguous> ambiguous_;                // of the arrangement being resolved
};

v1::Arrangement make_arrangement(const ArrangementRows& group, const ResolvedParticipants& participants,
                                 const std::string& id, const std::string& file, const OpenGrContext& context,
                                 ResolutionReport& report) {
  v1::Arrangement a;
  a.set_id(id);
  a.set_name(group.name);
  a.set_kind(v1::ARRANGEMENT_KIND_COOPERATION);
  a.set_legal_form(wgr_legal_form(group.name));
  auto listed = context.arrangement_domains.find(normalise_name(group.name));
  const std::vector<std::string> domains = listed != context.arrangement_domains.end()
                                               ? listed->second
                                               : classify_domains(group.name, context.domain_rules);
  if (domains.empty()) {
    report.add(file, group.first_line, "unclassified policy domain", group.name,
               "neither the arrangement domain table nor a rule of the domain keyword table classifies the "
               "arrangement's name; imported without policy domain (unknown, not none)");
  }
  for (const auto& domain : domains) a.add_policy_domains(domain);
  for (const auto& code : participants.municipalities) a.add_municipality_codes(code);
  for (const auto& code : participants.bodies) a.add_body_codes(code);
  a.mutable_source()->set_file(file);
  a.mutable_source()->set_line(group.first_line);
  return a;
}

}  // namespace

Expected<std::vector<DomainRule>> parse_domain_rules(const CsvTable& table) {
  if (table.header != std::vector<std::string>{"keyword", "domain"}) {
    return invalid_argument(table.file + ":1: expected the header keyword;domain");
  }
  std::vector<DomainRule> rules;
  for (const auto& record : table.records) {
    std::string keyword = trim(record.fields[0]);
    DomainRule rule;
    rule.domain = trim(record.fields[1]);
    if (!keyword.empty() && keyword.back() == '*') {
      rule.prefix = true;
      keyword.pop_back();
    }
    rule.words = split_words(normalise_name(keyword));
    if (rule.words.empty() || rule.domain.empty()) {
      return invalid_argument(table.file + ":" + std::to_string(record.line) + ": keyword and domain must not be empty");
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

std::vector<std::string> classify_domains(std::string_view name, const std::vector<DomainRule>& rules) {
  const std::vector<std::string> words = split_words(normalise_name(name));
  std::set<std::string> domains;
  for (const DomainRule& rule : rules) {
    const std::size_t n = rule.words.size();
    for (std::size_t start = 0; start + n <= words.size(); ++start) {
      bool match = true;
      for (std::size_t k = 0; k < n && match; ++k) {
        const std::string& word = words[start + k];
        const bool last = k + 1 == n;
        match = (last && rule.prefix) ? starts_with(word, rule.words[k]) : word == rule.words[k];
      }
      if (match) {
        domains.insert(rule.domain);
        break;
      }
    }
  }
  return {domains.begin(), domains.end()};
}

Expected<std::map<std::string, std::vector<std::string>>> parse_arrangement_domains(
    const CsvTable& table, const std::vector<DomainRule>& rules) {
  if (table.header != std::vector<std::string>{"arrangement", "domains", "source"}) {
    return invalid_argument(table.file + ":1: expected the header arrangement;domains;source");
  }
  std::set<std::string> vocabulary;
  for (const DomainRule& rule : rules) vocabulary.insert(rule.domain);
  std::map<std::string, std::vector<std::string>> domains_of;
  for (const auto& record : table.records) {
    const std::string where = table.file + ":" + std::to_string(record.line) + ": ";
    const std::string name = normalise_name(trim(record.fields[0]));
    if (name.empty() || trim(record.fields[2]).empty()) {
      return invalid_argument(where + "arrangement and source must not be empty");
    }
    std::set<std::string> domains;
    for (const std::string& domain : split_list(record.fields[1])) {
      if (vocabulary.count(domain) == 0) {
        return invalid_argument(where + "domain '" + domain + "' is no domain of the keyword table");
      }
      domains.insert(domain);
    }
    if (domains.empty()) return invalid_argument(where + "expected at least one domain, found none");
    if (!domains_of.emplace(name, std::vector<std::string>(domains.begin(), domains.end())).second) {
      return invalid_argument(where + "arrangement '" + trim(record.fields[0]) + "' is listed twice");
    }
  }
  return domains_of;
}

bool marked_dissolved(std::string_view name) {
  const std::vector<std::string> words = split_words(normalise_name(name));
  return std::find(words.begin(), words.end(), "opgeheven") != words.end();
}

v1::LegalForm wgr_legal_form(std::string_view name) {
  const std::string n = normalise_name(name);
  if (n.find("centrumregeling") != std::string::npos || n.find("centrumgemeente") != std::string::npos) {
    return v1::LEGAL_FORM_WGR_CENTRAL_MUNICIPALITY;
  }
  if (n.find("bedrijfsvoeringsorganisatie") != std::string::npos) return v1::LEGAL_FORM_WGR_BUSINESS_OPERATIONS;
  if (n.find("gemeenschappelijk orgaan") != std::string::npos) return v1::LEGAL_FORM_WGR_COMMON_BODY;
  if (n.find("openbaar lichaam") != std::string::npos) return v1::LEGAL_FORM_WGR_PUBLIC_BODY;
  if (n.find("regeling zonder meer") != std::string::npos) return v1::LEGAL_FORM_WGR_LIGHT;
  return v1::LEGAL_FORM_WGR_UNSPECIFIED;
}

Expected<OpenGrImport> import_opengr(const CsvTable& table, const std::string& file, const OpenGrContext& context,
                                     ResolutionReport& report) {
  if (context.names == nullptr) return internal_error("import_opengr: no municipality names given");
  if (table.header.size() < 5 || table.header[0] != "Deelnemer" || table.header[1] != "Gemeenschappelijke regeling") {
    return invalid_argument(file + ":1: expected the header Deelnemer,Gemeenschappelijke regeling,Postcode,Plaats,Provincie");
  }
  Expected<std::vector<ArrangementRows>> groups = group_by_arrangement(table, file);
  if (!groups) return groups.status();
  OpenGrImport result;
  result.rows = table.records.size();
  result.arrangements_read = groups->size();
  ParticipantResolver resolver(file, context, report, result);
  std::size_t next_id = 1;
  for (const ArrangementRows& group : *groups) {
    if (marked_dissolved(group.name)) {
      ++result.arrangements_dissolved;
      report.add(file, group.first_line, "dissolved arrangement", group.name,
                 std::to_string(group.participants.size()) +
                     " participant rows; the register marks it dissolved (opgeheven), left out");
      continue;
    }
    const ResolvedParticipants participants = resolver.resolve(group);
    if (participants.municipalities.size() < 2) {
      ++result.arrangements_dropped;
      report.add(file, group.first_line, "arrangement with fewer than two municipalities", group.name,
                 std::to_string(participants.municipalities.size()) + " municipalities and " +
                     std::to_string(participants.bodies.size()) + " other bodies among " +
                     std::to_string(group.participants.size()) +
                     " participant rows; not a tie of the cooperation network, left out");
      continue;
    }
    result.arrangements.push_back(
        make_arrangement(group, participants, "opengr#" + std::to_string(next_id++), file, context, report));
  }
  return result;
}

}  // namespace bre::import
