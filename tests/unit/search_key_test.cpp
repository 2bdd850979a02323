// The search key (sdk::rest::searchKey): accented Latin takes a quick path, everything
// else ICU's transliterator; both must fold alike.
#include <gtest/gtest.h>

#include <tessera/sdk/rest/text.hpp>

namespace {

using tessera::sdk::rest::searchKey;

TEST(SearchKey, EveryScriptFoldsToLowerCaseAsciiWhicheverPathItTakes) {
    EXPECT_EQ(searchKey("Ana Silva"), "ana silva");
    EXPECT_EQ(searchKey("João da Conceição"), "joao da conceicao");     // quick path
    EXPECT_EQ(searchKey("ÑANDÚ Dvořák"), "nandu dvorak");               // quick path
    EXPECT_EQ(searchKey("Łódź Øster Straße"), "lodz oster strasse");    // letters without accents to drop
    EXPECT_EQ(searchKey("Ærø Œuvre Þór"), "aero oeuvre thor");
    EXPECT_EQ(searchKey("Αθηνά"), "athena");
    EXPECT_EQ(searchKey("Москва ИВАН"), "moskva ivan");
    EXPECT_EQ(searchKey("Đặng Thị"), "dang thi");
    // Mixed text takes the transliterator for all of it, and agrees with the quick path.
    EXPECT_EQ(searchKey("José Ørsted"), searchKey("José") + " " + searchKey("Ørsted"));
}

}  // namespace
