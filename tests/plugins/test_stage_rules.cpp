// lifecycle.stage_rules (DOMAIN.md §8): each stage, each boundary between stages (one
// criterion flipped), partial criteria, contradictions, missing descriptors, and the
// mapping of cases onto a partition.
//
// Confidence = (met + 0.5 * partly met deciding criteria of the assigned stage) / its
// number of deciding criteria, times 0.75 per evidence-only criterion known not to be
// met (0.75^0.5 partly met) and 0.75 per contradiction. Criteria per stage:
//   meeting place (4): shared_vision no; agenda none (sectoral half); consensus_why no;
//                      lead_actor none or lead_actor_accepted no
//   start-up (1 + 3):  consensus_why yes (required), which defines a start-up in the
//                      study (DOMAIN.md §8); evidence only: lead_actor present; lead
//                      accepted; economic or societal link at least ad hoc
//   running (8):       shared_vision yes; agenda integral (sectoral half); consensus
//                      why (required)/what/how yes; decision and capacity agreements
//                      yes; economic or societal link structural
// Start-up and running system are assigned when no deciding criterion is known to
// fail, the required one is met, and support >= 0.5; the meeting place when the
// start-up is refuted (consensus on why known to be absent).
#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "bre/dataset.hpp"
#include "plugin_harness.hpp"
#include "stage_rules.hpp"

namespace {

namespace lc = bre::lifecycle;
using bre::v1::CaseDescriptors;

constexpr auto YES = bre::v1::TRISTATE_YES;
constexpr auto NO = bre::v1::TRISTATE_NO;
constexpr auto UNKNOWN = bre::v1::TRISTATE_UNKNOWN;

CaseDescriptors running_system() {
  CaseDescriptors c;
  c.set_region_id("C1");
  c.set_region_name("Running region");
  c.set_shared_vision(YES);
  c.set_agenda(bre::v1::AGENDA_SCOPE_INTEGRAL);
  c.set_consensus_why(YES);
  c.set_consensus_what(YES);
  c.set_consensus_how(YES);
  c.set_decision_agreements(YES);
  c.set_capacity_agreements(YES);
  c.set_lead_actor(bre::v1::LEAD_ACTOR_REGIONAL_OFFICE);
  c.set_lead_actor_accepted(YES);
  c.set_economic_link(bre::v1::COMMUNITY_LINK_STRUCTURAL);
  c.set_societal_link(bre::v1::COMMUNITY_LINK_PROJECT);
  return c;
}

CaseDescriptors start_up() {
  CaseDescriptors c;
  c.set_region_id("C2");
  c.set_region_name("Start-up region");
  c.set_shared_vision(NO);
  c.set_agenda(bre::v1::AGENDA_SCOPE_SECTORAL);
  c.set_consensus_why(YES);
  c.set_consensus_what(UNKNOWN);
  c.set_consensus_how(NO);
  c.set_decision_agreements(NO);
  c.set_capacity_agreements(NO);
  c.set_lead_actor(bre::v1::LEAD_ACTOR_CENTRAL_MUNICIPALITY);
  c.set_lead_actor_accepted(YES);
  c.set_economic_link(bre::v1::COMMUNITY_LINK_AD_HOC);
  c.set_societal_link(bre::v1::COMMUNITY_LINK_NONE);
  c.set_urgency(YES);
  return c;
}

CaseDescriptors meeting_place() {
  CaseDescriptors c;
  c.set_region_id("C3");
  c.set_region_name("Meeting region");
  c.set_shared_vision(NO);
  c.set_agenda(bre::v1::AGENDA_SCOPE_NONE);
  c.set_consensus_why(NO);
  c.set_consensus_what(NO);
  c.set_consensus_how(NO);
  c.set_decision_agreements(NO);
  c.set_capacity_agreements(NO);
  c.set_lead_actor(bre::v1::LEAD_ACTOR_NONE);
  c.set_economic_link(bre::v1::COMMUNITY_LINK_AD_HOC);
  c.set_societal_link(bre::v1::COMMUNITY_LINK_AD_HOC);
  c.set_urgency(NO);
  c.set_administrative_conflict_history(YES);
  return c;
}

// The built-in rule table (default_rules.json), parsed once for the whole test.
const lc::RuleTable& rules() {
  static const lc::RuleTable table = [] {
    bre::Expected<lc::RuleTable> parsed = lc::default_rule_table();
    EXPECT_TRUE(parsed.has_value()) << parsed.status().message();
    return parsed.has_value() ? *parsed : lc::RuleTable{};
  }();
  return table;
}

bre::v1::LifecycleAssessment assess(const CaseDescriptors& c) { return lc::assess_case(rules(), c); }

std::vector<std::string> direction_ids(const bre::v1::LifecycleAssessment& a) {
  std::vector<std::string> ids;
  for (const auto& d : a.directions()) ids.push_back(d.id());
  return ids;
}

std::vector<std::string> signals(const bre::v1::LifecycleAssessment& a, const std::string& id) {
  for (const auto& d : a.directions()) {
    if (d.id() == id) return {d.signals().begin(), d.signals().end()};
  }
  ADD_FAILURE() << "no direction " << id;
  return {};
}

const bre::v1::Evidence* evidence_for(const bre::v1::LifecycleAssessment& a,
                                      const std::string& descriptor) {
  for (const auto& e : a.evidence()) {
    if (e.descriptor_field() == descriptor) return &e;
  }
  return nullptr;
}

std::vector<std::string> missing(const bre::v1::LifecycleAssessment& a) {
  return {a.missing_descriptors().begin(), a.missing_descriptors().end()};
}

// ---------------------------------------------------------------------------
// The rule table.

TEST(StageRuleTable, DefaultIsWellFormed) {
  const lc::RuleTable& table = rules();
  EXPECT_EQ(table.name, "bre-default");
  ASSERT_EQ(table.stages.size(), 3u);
  EXPECT_EQ(table.stages[0].stage, bre::v1::STAGE_MEETING_PLACE);
  EXPECT_EQ(table.stages[1].stage, bre::v1::STAGE_START_UP);
  EXPECT_EQ(table.stages[2].stage, bre::v1::STAGE_RUNNING_SYSTEM);
  for (const lc::StageRule& rule : table.stages) {
    EXPECT_FALSE(rule.criteria.empty());
    for (const lc::Criterion& c : rule.criteria) {
      EXPECT_FALSE(c.text_en.empty()) << c.id;
      EXPECT_FALSE(c.text_nl.empty()) << c.id;
    }
  }
  // The directions of DOMAIN.md §8, per stage.
  auto ids = [&](bre::v1::Stage stage) {
    std::vector<std::string> out;
    for (const lc::DirectionRule& d : table.directions) {
      if (d.stage == stage) out.push_back(d.id);
    }
    return out;
  };
  EXPECT_EQ(ids(bre::v1::STAGE_MEETING_PLACE),
            (std::vector<std::string>{"stay", "develop_further", "stop"}));
  EXPECT_EQ(ids(bre::v1::STAGE_START_UP),
            (std::vector<std::string>{"develop_further", "fall_back", "stop"}));
  EXPECT_EQ(ids(bre::v1::STAGE_RUNNING_SYSTEM), (std::vector<std::string>{"recalibrate", "stop"}));
  EXPECT_EQ(table.find_stage(bre::v1::STAGE_UNDECIDED), nullptr);
}

TEST(StageRuleTable, DescriptorValues) {
  const CaseDescriptors c = running_system();
  EXPECT_EQ(*lc::descriptor_value(c, "agenda"), "integral");
  EXPECT_EQ(*lc::descriptor_value(c, "lead_actor"), "regional_office");
  EXPECT_EQ(*lc::descriptor_value(c, "urgency"), "unknown");
  EXPECT_EQ(lc::descriptor_value(c, "no_such_field").status().code(), bre::StatusCode::kNotFound);
  EXPECT_EQ(lc::descriptor_value(c, "region_id").status().code(),
            bre::StatusCode::kInvalidArgument);
}

TEST(StageRuleTable, AnyOfCriterionIsKleeneOr) {
  lc::Criterion links;
  links.id = "links";
  links.any_of = {{"economic_link", {"structural"}, {"project"}}, {"societal_link", {"structural"}, {}}};
  CaseDescriptors c;
  EXPECT_EQ(lc::evaluate(links, c), lc::Verdict::kUnknown);  // both unknown
  c.set_economic_link(bre::v1::COMMUNITY_LINK_NONE);
  EXPECT_EQ(lc::evaluate(links, c), lc::Verdict::kUnknown);  // societal may still meet it
  c.set_societal_link(bre::v1::COMMUNITY_LINK_AD_HOC);
  EXPECT_EQ(lc::evaluate(links, c), lc::Verdict::kNotMet);
  c.set_economic_link(bre::v1::COMMUNITY_LINK_PROJECT);
  EXPECT_EQ(lc::evaluate(links, c), lc::Verdict::kPartial);
  c.set_societal_link(bre::v1::COMMUNITY_LINK_STRUCTURAL);
  EXPECT_EQ(lc::evaluate(links, c), lc::Verdict::kMet);
}

// ---------------------------------------------------------------------------
// Each stage.

TEST(StageRules, RunningSystem) {
  const auto a = assess(running_system());
  EXPECT_EQ(a.region_id(), "C1");
  EXPECT_EQ(a.region_name(), "Running region");
  EXPECT_EQ(a.stage(), bre::v1::STAGE_RUNNING_SYSTEM);
  EXPECT_EQ(a.stage_label_en(), "running system");
  EXPECT_EQ(a.stage_label_nl(), "draaiend systeem");
  EXPECT_DOUBLE_EQ(a.confidence(), 1.0);  // 8 of 8 met
  ASSERT_EQ(a.evidence_size(), 8);        // its 8 criteria, no stage above
  for (const auto& e : a.evidence()) {
    EXPECT_TRUE(e.supports()) << e.descriptor_field();
    EXPECT_FALSE(e.text_en().empty());
    EXPECT_FALSE(e.text_nl().empty());
  }
  const auto* links = evidence_for(a, "economic_link|societal_link");
  ASSERT_NE(links, nullptr);
  EXPECT_EQ(links->value(), "structural|project");
  EXPECT_TRUE(missing(a).empty());
  EXPECT_EQ(direction_ids(a), (std::vector<std::string>{"recalibrate", "stop"}));
  EXPECT_TRUE(signals(a, "recalibrate").empty());
  ASSERT_EQ(a.recommendations_size(), 3);  // 2 running system + representatives
  EXPECT_NE(a.recommendations(2).text_en().find("elected representatives"), std::string::npos);
  EXPECT_NE(a.recommendations(2).text_nl().find("volksvertegenwoordigers"), std::string::npos);
  EXPECT_TRUE(a.partition_region_id().empty());
}

TEST(StageRules, StartUp) {
  const auto a = assess(start_up());
  EXPECT_EQ(a.stage(), bre::v1::STAGE_START_UP);
  EXPECT_EQ(a.stage_label_en(), "start-up");
  EXPECT_EQ(a.stage_label_nl(), "startup");
  EXPECT_DOUBLE_EQ(a.confidence(), 1.0);  // 4 of 4 start-up criteria met
  // 4 start-up criteria + the running-system criteria not met (shared vision,
  // consensus how, decision and capacity agreements, structural link) or unknown
  // (consensus what). The sectoral agenda is partly met and not listed.
  ASSERT_EQ(a.evidence_size(), 10);
  const auto* decision = evidence_for(a, "decision_agreements");
  ASSERT_NE(decision, nullptr);
  EXPECT_TRUE(decision->supports());  // a reason it is not yet a running system
  EXPECT_EQ(decision->value(), "no");
  const auto* what = evidence_for(a, "consensus_what");
  ASSERT_NE(what, nullptr);
  EXPECT_FALSE(what->supports());  // unknown: neither for nor against
  EXPECT_EQ(evidence_for(a, "agenda"), nullptr);
  EXPECT_EQ(missing(a), (std::vector<std::string>{"consensus_what"}));
  EXPECT_EQ(direction_ids(a), (std::vector<std::string>{"develop_further", "fall_back", "stop"}));
  EXPECT_EQ(signals(a, "develop_further"), (std::vector<std::string>{"urgency=yes"}));
  EXPECT_TRUE(signals(a, "fall_back").empty());
  ASSERT_EQ(a.recommendations_size(), 4);  // 3 start-up + representatives
  EXPECT_NE(a.recommendations(0).text_en().find("task profile"), std::string::npos);
}

TEST(StageRules, MeetingPlace) {
  const auto a = assess(meeting_place());
  EXPECT_EQ(a.stage(), bre::v1::STAGE_MEETING_PLACE);
  EXPECT_EQ(a.stage_label_en(), "meeting place");
  EXPECT_EQ(a.stage_label_nl(), "ontmoetingsplek");
  EXPECT_DOUBLE_EQ(a.confidence(), 1.0);  // 4 of 4: no vision, no agenda, no why, no lead
  // 4 meeting-place criteria + the start-up's deciding criterion that is not met
  // (consensus why); its evidence-only criteria do not say why it is no start-up.
  ASSERT_EQ(a.evidence_size(), 5);
  EXPECT_TRUE(evidence_for(a, "consensus_why")->supports());  // no: not a start-up
  EXPECT_EQ(evidence_for(a, "lead_actor"), nullptr);
  EXPECT_EQ(missing(a), (std::vector<std::string>{"lead_actor_accepted"}));
  EXPECT_EQ(direction_ids(a), (std::vector<std::string>{"stay", "develop_further", "stop"}));
  EXPECT_EQ(signals(a, "stay"), (std::vector<std::string>{"urgency=no", "lead_actor=none"}));
  EXPECT_TRUE(signals(a, "develop_further").empty());
  EXPECT_EQ(signals(a, "stop"), (std::vector<std::string>{"administrative_conflict_history=yes"}));
  ASSERT_EQ(a.recommendations_size(), 4);  // 3 meeting place + representatives
  EXPECT_NE(a.recommendations(0).text_en().find("regional story"), std::string::npos);
  EXPECT_NE(a.recommendations(0).text_nl().find("regionaal verhaal"), std::string::npos);
}

TEST(StageRules, AllMissingIsUndecided) {
  CaseDescriptors c;
  c.set_region_id("C4");
  const auto a = assess(c);
  EXPECT_EQ(a.stage(), bre::v1::STAGE_UNDECIDED);
  EXPECT_EQ(a.stage_label_en(), "undecided");
  EXPECT_EQ(a.confidence(), 0.0);
  // Decisive descriptors first, then the rest in rule-table order, each once.
  EXPECT_EQ(missing(a), (std::vector<std::string>{
                            "consensus_why", "shared_vision", "agenda", "lead_actor",
                            "lead_actor_accepted", "economic_link", "societal_link",
                            "consensus_what", "consensus_how", "decision_agreements",
                            "capacity_agreements"}));
  EXPECT_EQ(a.directions_size(), 0);
  ASSERT_EQ(a.recommendations_size(), 2);  // complete the description + representatives
  for (const auto& e : a.evidence()) EXPECT_FALSE(e.supports());
}

TEST(StageRules, UndecidedWhenStartUpNeitherHoldsNorFails) {
  // Shared vision known, consensus on why unknown, nothing contradicts a start-up.
  CaseDescriptors c;
  c.set_shared_vision(YES);
  const auto a = assess(c);
  EXPECT_EQ(a.stage(), bre::v1::STAGE_UNDECIDED);
  EXPECT_EQ(missing(a).front(), "consensus_why");
}

// ---------------------------------------------------------------------------
// Boundaries: one criterion flipped.

TEST(StageBoundaries, RunningToStartUpWhenDecisionAgreementsMissing) {
  CaseDescriptors c = running_system();
  c.set_decision_agreements(NO);
  const auto a = assess(c);
  EXPECT_EQ(a.stage(), bre::v1::STAGE_START_UP);
  EXPECT_DOUBLE_EQ(a.confidence(), 1.0);  // 4 of 4 start-up criteria
  ASSERT_EQ(a.evidence_size(), 5);        // 4 + the blocking decision_agreements
  EXPECT_TRUE(evidence_for(a, "decision_agreements")->supports());
}

TEST(StageBoundaries, RunningNeedsStructuralLinks) {
  CaseDescriptors c = running_system();
  c.set_economic_link(bre::v1::COMMUNITY_LINK_PROJECT);  // societal is PROJECT too
  EXPECT_EQ(assess(c).stage(), bre::v1::STAGE_START_UP);
  c.set_societal_link(bre::v1::COMMUNITY_LINK_STRUCTURAL);
  EXPECT_EQ(assess(c).stage(), bre::v1::STAGE_RUNNING_SYSTEM);
}

TEST(StageBoundaries, SectoralAgendaIsPartial) {
  CaseDescriptors c = running_system();
  c.set_agenda(bre::v1::AGENDA_SCOPE_SECTORAL);
  const auto a = assess(c);
  EXPECT_EQ(a.stage(), bre::v1::STAGE_RUNNING_SYSTEM);
  EXPECT_DOUBLE_EQ(a.confidence(), 7.5 / 8.0);  // 7 met + 0.5 for the sectoral agenda
  EXPECT_TRUE(evidence_for(a, "agenda")->supports());
  EXPECT_NE(evidence_for(a, "agenda")->text_en().find("partly met"), std::string::npos);
}

TEST(StageBoundaries, UnknownRunningCriterionLowersConfidence) {
  CaseDescriptors c = running_system();
  c.set_capacity_agreements(UNKNOWN);
  const auto a = assess(c);
  EXPECT_EQ(a.stage(), bre::v1::STAGE_RUNNING_SYSTEM);
  EXPECT_DOUBLE_EQ(a.confidence(), 7.0 / 8.0);  // unknown counts 0
  EXPECT_EQ(missing(a), (std::vector<std::string>{"capacity_agreements"}));
  const auto* capacity = evidence_for(a, "capacity_agreements");
  ASSERT_NE(capacity, nullptr);
  EXPECT_FALSE(capacity->supports());
  EXPECT_EQ(capacity->value(), "unknown");
}

TEST(StageBoundaries, TooLittleKnownForRunningGivesStartUp) {
  // Nothing contradicts a running system, but only 3 of its 8 criteria are known
  // (why, capacity, structural link): support 3/8 < 0.5, so the start-up (4/4) holds.
  CaseDescriptors c = running_system();
  c.set_shared_vision(UNKNOWN);
  c.set_agenda(bre::v1::AGENDA_SCOPE_UNKNOWN);
  c.set_consensus_what(UNKNOWN);
  c.set_consensus_how(UNKNOWN);
  c.set_decision_agreements(UNKNOWN);
  const auto a = assess(c);
  EXPECT_EQ(a.stage(), bre::v1::STAGE_START_UP);
  EXPECT_DOUBLE_EQ(a.confidence(), 1.0);
  ASSERT_EQ(a.evidence_size(), 9);  // 4 start-up + the 5 unknown running criteria
  // One more known criterion (4/8 = 0.5) is enough for a running system.
  c.set_decision_agreements(YES);
  const auto b = assess(c);
  EXPECT_EQ(b.stage(), bre::v1::STAGE_RUNNING_SYSTEM);
  EXPECT_DOUBLE_EQ(b.confidence(), 0.5);
}

TEST(StageBoundaries, ConsensusWhyDefinesAStartUp) {
  // Consensus on why is what makes a start-up (DOMAIN.md §8); lead actor and links
  // unknown neither decide nor lower the confidence.
  CaseDescriptors c;
  c.set_consensus_why(YES);
  c.set_shared_vision(NO);
  const auto a = assess(c);
  EXPECT_EQ(a.stage(), bre::v1::STAGE_START_UP);
  EXPECT_DOUBLE_EQ(a.confidence(), 1.0);
  c.set_lead_actor(bre::v1::LEAD_ACTOR_PROVINCE);
  EXPECT_DOUBLE_EQ(assess(c).confidence(), 1.0);
}

TEST(StageBoundaries, StartUpToMeetingPlaceWithoutConsensusWhy) {
  CaseDescriptors c = start_up();
  c.set_consensus_why(NO);
  const auto a = assess(c);
  EXPECT_EQ(a.stage(), bre::v1::STAGE_MEETING_PLACE);
  // no vision 1 + sectoral agenda 0.5 + no why 1 + accepted lead actor 0 = 2.5 / 4
  EXPECT_DOUBLE_EQ(a.confidence(), 0.625);
  EXPECT_TRUE(evidence_for(a, "consensus_why")->supports());
  EXPECT_FALSE(evidence_for(a, "lead_actor|lead_actor_accepted")->supports());
}

TEST(StageBoundaries, StartUpWhenLeadNotAcceptedWithLowerConfidence) {
  CaseDescriptors c = start_up();
  c.set_lead_actor_accepted(NO);
  const auto a = assess(c);
  EXPECT_EQ(a.stage(), bre::v1::STAGE_START_UP);
  EXPECT_DOUBLE_EQ(a.confidence(), 0.75);  // 1 (why) x 0.75 (lead not accepted)
  const auto* accepted = evidence_for(a, "lead_actor_accepted");
  ASSERT_NE(accepted, nullptr);
  EXPECT_FALSE(accepted->supports());
  EXPECT_NE(accepted->text_en().find("start-up evidence"), std::string::npos) << accepted->text_en();
  EXPECT_NE(accepted->text_en().find("confidence lowered"), std::string::npos) << accepted->text_en();
  EXPECT_NE(accepted->text_nl().find("betrouwbaarheid verlaagd"), std::string::npos) << accepted->text_nl();
}

TEST(StageBoundaries, StartUpWithoutLeadActorWithLowerConfidence) {
  CaseDescriptors c = start_up();
  c.set_lead_actor(bre::v1::LEAD_ACTOR_NONE);
  c.set_lead_actor_accepted(UNKNOWN);
  const auto a = assess(c);
  EXPECT_EQ(a.stage(), bre::v1::STAGE_START_UP);
  EXPECT_DOUBLE_EQ(a.confidence(), 0.75);  // lead actor absent; acceptance unknown
}

TEST(StageBoundaries, StartUpWithoutCommunityLinksWithLowerConfidence) {
  CaseDescriptors c = start_up();
  c.set_economic_link(bre::v1::COMMUNITY_LINK_NONE);
  c.set_societal_link(bre::v1::COMMUNITY_LINK_NONE);
  const auto a = assess(c);
  EXPECT_EQ(a.stage(), bre::v1::STAGE_START_UP);
  EXPECT_DOUBLE_EQ(a.confidence(), 0.75);
  // No accepted lead actor and no links: still a start-up, each missing piece of
  // evidence lowering the confidence.
  c.set_lead_actor(bre::v1::LEAD_ACTOR_NONE);
  c.set_lead_actor_accepted(NO);
  const auto b = assess(c);
  EXPECT_EQ(b.stage(), bre::v1::STAGE_START_UP);
  EXPECT_DOUBLE_EQ(b.confidence(), 0.75 * 0.75 * 0.75);
}

TEST(StageBoundaries, MeetingPlaceToStartUpWithConsensusOnWhy) {
  CaseDescriptors c = meeting_place();
  c.set_consensus_why(YES);
  const auto a = assess(c);
  EXPECT_EQ(a.stage(), bre::v1::STAGE_START_UP);
  EXPECT_DOUBLE_EQ(a.confidence(), 0.75);  // no lead actor
  c.set_lead_actor(bre::v1::LEAD_ACTOR_PROVINCE);
  c.set_lead_actor_accepted(YES);
  EXPECT_DOUBLE_EQ(assess(c).confidence(), 1.0);
  c.set_consensus_why(NO);  // flip the defining criterion back
  EXPECT_EQ(assess(c).stage(), bre::v1::STAGE_MEETING_PLACE);
}

// ---------------------------------------------------------------------------
// Contradictions and signals.

TEST(StageRules, ContradictionLowersConfidence) {
  // A running system whose lead actor is "none" yet "accepted by the others".
  CaseDescriptors c = running_system();
  c.set_lead_actor(bre::v1::LEAD_ACTOR_NONE);
  const auto a = assess(c);
  EXPECT_EQ(a.stage(), bre::v1::STAGE_RUNNING_SYSTEM);  // the lead actor is no running criterion
  EXPECT_DOUBLE_EQ(a.confidence(), 0.75);               // 8/8 met, times 0.75 for one contradiction
  const auto* line = evidence_for(a, "lead_actor|lead_actor_accepted");
  ASSERT_NE(line, nullptr);
  EXPECT_EQ(line->value(), "none|yes");
  EXPECT_FALSE(line->supports());
  EXPECT_NE(line->text_en().find("Contradictory"), std::string::npos);
  EXPECT_NE(line->text_nl().find("Tegenstrijdige"), std::string::npos);
}

TEST(StageRules, IntegralAgendaWithoutConsensusWhy) {
  CaseDescriptors c = meeting_place();
  c.set_agenda(bre::v1::AGENDA_SCOPE_INTEGRAL);
  const auto a = assess(c);
  EXPECT_EQ(a.stage(), bre::v1::STAGE_MEETING_PLACE);
  // 3 of 4 criteria met (the agenda criterion is not) = 0.75, times 0.75 for the
  // contradiction = 0.5625, against 1.0 for the consistent meeting place. (An
  // integral agenda without a shared vision is not a contradiction: a start-up may
  // have one.)
  EXPECT_DOUBLE_EQ(a.confidence(), 0.5625);
  EXPECT_LT(a.confidence(), assess(meeting_place()).confidence());
  const auto* line = evidence_for(a, "agenda|consensus_why");
  ASSERT_NE(line, nullptr);
  EXPECT_EQ(line->value(), "integral|no");
  EXPECT_FALSE(line->supports());
  EXPECT_EQ(evidence_for(a, "agenda|shared_vision"), nullptr);
}

TEST(StageRules, SeveralContradictions) {
  CaseDescriptors c = meeting_place();
  c.set_agenda(bre::v1::AGENDA_SCOPE_INTEGRAL);
  c.set_lead_actor_accepted(YES);  // accepted, while there is no lead actor
  const auto a = assess(c);
  // agenda|consensus_why and lead_actor|lead_actor_accepted: 0.75 (3 of 4 met) * 0.75^2
  EXPECT_EQ(a.stage(), bre::v1::STAGE_MEETING_PLACE);
  EXPECT_DOUBLE_EQ(a.confidence(), 0.75 * 0.75 * 0.75);
  EXPECT_NE(evidence_for(a, "lead_actor|lead_actor_accepted"), nullptr);
}

TEST(StageRules, RecalibrationSignalsOfARunningSystem) {
  CaseDescriptors c = running_system();
  c.set_recent_merger(YES);
  c.set_new_administrators(YES);
  c.set_mutual_trust(YES);
  const auto a = assess(c);
  EXPECT_EQ(signals(a, "recalibrate"),
            (std::vector<std::string>{"recent_merger=yes", "new_administrators=yes"}));
  EXPECT_TRUE(signals(a, "stop").empty());
}

TEST(StageRules, FallBackSignalsOfAStartUp) {
  CaseDescriptors c = start_up();
  c.set_administrative_conflict_history(YES);
  c.set_recalibration_under_way(YES);
  c.set_result_scale(bre::v1::RESULT_SCALE_SUPRA_REGIONAL);
  const auto a = assess(c);
  EXPECT_EQ(signals(a, "fall_back"),
            (std::vector<std::string>{"administrative_conflict_history=yes",
                                      "recalibration_under_way=yes"}));
  EXPECT_EQ(signals(a, "stop"), (std::vector<std::string>{"result_scale=supra_regional"}));
}

// ---------------------------------------------------------------------------
// All cases of a dataset, with and without a partition.

class ClassifyCasesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int m = 1; m <= 4; ++m) {
      auto* mun = dataset_.add_municipalities();
      mun->set_code("GM000" + std::to_string(m));
      mun->set_name("Gemeente " + std::to_string(m));
    }
    CaseDescriptors a = running_system();
    for (const char* code : {"GM0001", "GM0003", "GM0004"}) a.add_municipality_codes(code);
    CaseDescriptors b = start_up();
    b.set_consensus_why(NO);  // meeting place, confidence 0.625
    for (const char* code : {"GM0001", "GM0003"}) b.add_municipality_codes(code);
    CaseDescriptors c;  // undecided
    c.set_region_id("C4");
    c.add_municipality_codes("GM9999");
    *dataset_.add_cases() = a;
    *dataset_.add_cases() = b;
    *dataset_.add_cases() = c;
    partition_.set_name("bre");
    auto* r1 = partition_.add_regions();
    r1->set_id("R01");
    r1->add_municipality_codes("GM0001");
    r1->add_municipality_codes("GM0002");
    auto* r2 = partition_.add_regions();
    r2->set_id("R02");
    r2->add_municipality_codes("GM0003");
    r2->add_municipality_codes("GM0004");
  }
  bre::v1::Dataset dataset_;
  bre::v1::Partition partition_;
};

TEST_F(ClassifyCasesTest, WithPartition) {
  const bre::DatasetIndex index(dataset_);
  lc::StageRulesOptions options;
  options.min_confidence = 0.7;
  options.language = bre::Language::kEnglish;
  auto r = lc::classify_cases(index, &partition_, rules(), options);
  ASSERT_TRUE(r.has_value()) << r.status().message();
  const auto& assessments = r->lifecycle.assessments();
  ASSERT_EQ(assessments.size(), 3);
  EXPECT_EQ(assessments[0].region_id(), "C1");  // dataset order
  EXPECT_EQ(assessments[0].stage(), bre::v1::STAGE_RUNNING_SYSTEM);
  EXPECT_EQ(assessments[0].partition_region_id(), "R02");  // 1 in R01, 2 in R02
  EXPECT_EQ(assessments[1].stage(), bre::v1::STAGE_MEETING_PLACE);
  EXPECT_EQ(assessments[1].partition_region_id(), "R01");  // 1-1 tie: lowest index
  EXPECT_EQ(assessments[2].stage(), bre::v1::STAGE_UNDECIDED);
  EXPECT_EQ(assessments[2].partition_region_id(), "");
  // Warnings: C2 below min_confidence 0.7; C4 without overlap, with an unknown code,
  // and undecided.
  ASSERT_EQ(r->warnings.size(), 4u);
  EXPECT_NE(r->warnings[0].find("C2"), std::string::npos) << r->warnings[0];
  EXPECT_NE(r->warnings[0].find("min_confidence"), std::string::npos) << r->warnings[0];
  EXPECT_NE(r->warnings[2].find("GM9999"), std::string::npos) << r->warnings[2];
  EXPECT_NE(r->warnings[3].find("undecided"), std::string::npos) << r->warnings[3];
  // The same warnings in Dutch; the assessments do not change with the language.
  options.language = bre::Language::kDutch;
  auto nl = lc::classify_cases(index, &partition_, rules(), options);
  ASSERT_TRUE(nl.has_value()) << nl.status().message();
  ASSERT_EQ(nl->warnings.size(), 4u);
  EXPECT_NE(nl->warnings[0].find("casus 'C2': fase '"), std::string::npos) << nl->warnings[0];
  EXPECT_NE(nl->warnings[0].find(" onder min_confidence 0,70"), std::string::npos) << nl->warnings[0];
  EXPECT_NE(nl->warnings[3].find(": fase onbeslist; ontbrekende kenmerken: "), std::string::npos) << nl->warnings[3];
  EXPECT_EQ(nl->lifecycle.SerializeAsString(), r->lifecycle.SerializeAsString());
}

TEST_F(ClassifyCasesTest, WithoutPartition) {
  const bre::DatasetIndex index(dataset_);
  auto r = lc::classify_cases(index, nullptr, rules(), {});
  ASSERT_TRUE(r.has_value()) << r.status().message();
  ASSERT_EQ(r->lifecycle.assessments_size(), 3);
  for (const auto& a : r->lifecycle.assessments()) EXPECT_EQ(a.partition_region_id(), "");
  ASSERT_EQ(r->warnings.size(), 1u);  // C4 undecided; C2's 0.625 passes the default 0.5
}

TEST_F(ClassifyCasesTest, NoCasesIsAWarning) {
  dataset_.clear_cases();
  const bre::DatasetIndex index(dataset_);
  auto r = lc::classify_cases(index, &partition_, rules(), {});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->lifecycle.assessments_size(), 0);
  ASSERT_EQ(r->warnings.size(), 1u);
  EXPECT_NE(r->warnings[0].find("heeft geen casusbeschrijvingen"), std::string::npos) << r->warnings[0];
}

TEST_F(ClassifyCasesTest, Errors) {
  const bre::DatasetIndex index(dataset_);
  lc::StageRulesOptions bad;
  bad.min_confidence = 1.5;
  EXPECT_EQ(lc::classify_cases(index, nullptr, rules(), bad).status().code(),
            bre::StatusCode::kInvalidArgument);
  partition_.mutable_regions(0)->add_municipality_codes("GM9999");
  EXPECT_FALSE(lc::classify_cases(index, &partition_, rules(), {}).has_value());
}

TEST_F(ClassifyCasesTest, Deterministic) {
  const bre::DatasetIndex index(dataset_);
  std::string a, b;
  ASSERT_TRUE(lc::classify_cases(index, &partition_, rules(), {})->lifecycle.SerializeToString(&a));
  ASSERT_TRUE(lc::classify_cases(index, &partition_, rules(), {})->lifecycle.SerializeToString(&b));
  EXPECT_EQ(a, b);
}

// ---------------------------------------------------------------------------
// The plugin as the host loads it.

TEST(StageRulesPlugin, DescribesItself) {
  bre::test::PluginHarness harness("lifecycle_stage_rules.so", "lifecycle.stage_rules");
  ASSERT_NE(harness.plugin(), nullptr);
  const bre::v1::PluginDescription& d = harness.plugin()->description;
  EXPECT_TRUE(bre::validate_description(d).is_ok());
  EXPECT_EQ(d.kind(), bre::v1::PLUGIN_KIND_LIFECYCLE);
  EXPECT_EQ(d.version(), "1.1.0");
  EXPECT_EQ(d.consumes_size(), 0);  // the partition is optional
  ASSERT_EQ(d.produces_size(), 1);
  EXPECT_EQ(d.produces(0), bre::v1::ARTIFACT_KIND_LIFECYCLE);
  ASSERT_EQ(d.parameters_size(), 2);
  EXPECT_EQ(d.parameters(0).name(), "min_confidence");
  EXPECT_EQ(d.parameters(1).name(), "rules");
}

TEST(StageRulesPlugin, RecoversThePlantedStagesOfTheDemo) {
  // The demo plants stage (region index % 3): meeting place, start-up, running system
  // (bre::demo, planted_stage), blanks some descriptors in two cases and makes one
  // case contradictory. Cases cover exactly their planted region.
  bre::test::DemoFixture demo;
  bre::test::PluginHarness harness("lifecycle_stage_rules.so", "lifecycle.stage_rules");
  ASSERT_NE(harness.plugin(), nullptr);
  bre::Expected<bre::Params> params = harness.params();
  ASSERT_TRUE(params.has_value());
  bre::v1::Artifacts out;
  const bre::Status s = harness.run(demo.index, *params, 1, &demo.planted, out);
  ASSERT_TRUE(s.is_ok()) << s.message();
  ASSERT_EQ(out.lifecycle_size(), 1);
  const auto& assessments = out.lifecycle(0).assessments();
  ASSERT_EQ(assessments.size(), demo.dataset.cases_size());
  constexpr bre::v1::Stage kPlanted[] = {bre::v1::STAGE_MEETING_PLACE, bre::v1::STAGE_START_UP,
                                         bre::v1::STAGE_RUNNING_SYSTEM};
  int contradictory = 0;
  for (int i = 0; i < assessments.size(); ++i) {
    const auto& a = assessments[i];
    EXPECT_EQ(a.region_id(), demo.dataset.cases(i).region_id());
    EXPECT_EQ(a.partition_region_id(), a.region_id());
    EXPECT_GE(a.confidence(), 0.0);
    EXPECT_LE(a.confidence(), 1.0);
    const bool contradicted = std::any_of(a.evidence().begin(), a.evidence().end(), [](const auto& e) {
      return e.text_en().rfind("Contradictory", 0) == 0;
    });
    if (contradicted) {
      ++contradictory;
      EXPECT_LT(a.confidence(), 0.5) << a.region_id();
      bool warned = false;
      for (const std::string& w : out.warnings()) warned |= w.find(a.region_id()) != std::string::npos;
      EXPECT_TRUE(warned) << a.region_id();
    } else {
      EXPECT_EQ(a.stage(), kPlanted[i % 3]) << a.region_id() << " confidence " << a.confidence();
    }
  }
  EXPECT_EQ(contradictory, 1);
}

TEST(StageRulesPlugin, RunsWithoutPartition) {
  bre::test::DemoFixture demo;
  bre::test::PluginHarness harness("lifecycle_stage_rules.so", "lifecycle.stage_rules");
  ASSERT_NE(harness.plugin(), nullptr);
  bre::Expected<bre::Params> params = harness.params();
  ASSERT_TRUE(params.has_value());
  bre::v1::Artifacts out;
  ASSERT_TRUE(harness.run(demo.index, *params, 1, nullptr, out).is_ok());
  ASSERT_EQ(out.lifecycle_size(), 1);
  for (const auto& a : out.lifecycle(0).assessments()) EXPECT_EQ(a.partition_region_id(), "");
}

}  // namespace
