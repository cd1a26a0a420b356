// "Did you mean": edit distances counted by hand for each case.
#include <gtest/gtest.h>

#include "bre/suggest.hpp"

namespace {

using Names = std::vector<std::string>;

TEST(ClosestNames, OneEditAwayIsSuggestedAndFartherIsNot) {
  const Names commands = {"plugins", "run", "rerun", "dataset", "report", "import"};
  EXPECT_EQ(bre::closest_names("runn", commands), Names{"run"});  // rerun: 2 edits, over the 1 of a 4-letter word
  EXPECT_EQ(bre::closest_names("xyz", commands), Names{});
  EXPECT_EQ(bre::closest_names("", commands), Names{});
  EXPECT_EQ(bre::closest_names("run", commands), Names{});  // an exact name is no suggestion
}

TEST(ClosestNames, ASwapOfNeighboursIsOneEditAndCaseIsIgnored) {
  // "teh" -> "the" is two substitutions but one swap; a 3-letter word allows one edit.
  EXPECT_EQ(bre::closest_names("teh", {"the", "ten"}), (Names{"the", "ten"}));
  EXPECT_EQ(bre::closest_names("teh", {"the"}), Names{"the"});
  EXPECT_EQ(bre::closest_names("RUN", {"run"}), Names{"run"});
}

TEST(ClosestNames, ClosestFirstTiesInTheCandidatesOrderAtMostMax) {
  // modularty: modularity is 1 insertion away, modularity_x 3 (a 9-letter word allows 3).
  EXPECT_EQ(bre::closest_names("modularty", {"modularity_x", "modularity", "cpm"}),
            (Names{"modularity", "modularity_x"}));
  EXPECT_EQ(bre::closest_names("cat", {"cut", "cart", "bat", "at", "dog"}), (Names{"cut", "cart", "bat"}));
  EXPECT_EQ(bre::closest_names("cat", {"cut", "cart", "bat", "at"}, 2), (Names{"cut", "cart"}));
  EXPECT_EQ(bre::closest_names("cat", {"cut", "cut"}), Names{"cut"});
}

TEST(ClosestNames, TheToleranceGrowsWithTheWord) {
  EXPECT_EQ(bre::closest_names("abcd", {"abxy"}), Names{});          // 2 edits, 4 letters allow 1
  EXPECT_EQ(bre::closest_names("abcde", {"abxye"}), Names{"abxye"});  // 2 edits, 5 letters allow 2
  EXPECT_EQ(bre::closest_names("abcdefgh", {"abxyzfgh"}), Names{});   // 3 edits, 8 letters allow 2
  EXPECT_EQ(bre::closest_names("abcdefghi", {"abxyzfghi"}), Names{"abxyzfghi"});
}

TEST(DidYouMean, NamesOneTwoOrThreeCandidates) {
  EXPECT_EQ(bre::did_you_mean("runn", {"run"}), " (did you mean 'run'?)");
  EXPECT_EQ(bre::did_you_mean("cat", {"cut", "bat"}), " (did you mean 'cut' or 'bat'?)");
  EXPECT_EQ(bre::did_you_mean("cat", {"cut", "bat", "at"}), " (did you mean 'cut', 'bat' or 'at'?)");
  EXPECT_EQ(bre::did_you_mean("xyz", {"run"}), "");
}

}  // namespace
