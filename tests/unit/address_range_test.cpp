#include <gtest/gtest.h>

#include "core/address_range.hpp"

namespace tessera::host {
namespace {

std::vector<AddressRange> ranges(std::initializer_list<const char*> texts) {
    std::vector<AddressRange> out;
    for (const char* t : texts) out.push_back(*AddressRange::parse(t));
    return out;
}

TEST(AddressRange, ParsesAddressesAndCidrsAndRefusesTheRest) {
    for (const char* good : {"10.0.0.0/8", "127.0.0.1", "::1", "2001:db8::/32", "0.0.0.0/0", "192.168.1.7/32"})
        EXPECT_TRUE(AddressRange::parse(good)) << good;
    for (const char* bad : {"", "10.0.0.0/33", "::1/129", "10.0.0/8", "example.com", "10.0.0.0/", "10.0.0.0/x", "1.2.3.4/-1"})
        EXPECT_FALSE(AddressRange::parse(bad)) << bad;
}

TEST(AddressRange, ContainsByPrefix) {
    const auto r = *AddressRange::parse("10.1.0.0/16");
    EXPECT_TRUE(r.contains("10.1.2.3"));
    EXPECT_TRUE(r.contains("::ffff:10.1.200.1"));  // IPv4-mapped, as a dual-stack socket reports it
    EXPECT_FALSE(r.contains("10.2.0.1"));
    EXPECT_FALSE(r.contains("not an address"));
    const auto v6 = *AddressRange::parse("2001:db8::/32");
    EXPECT_TRUE(v6.contains("2001:db8:1::5"));
    EXPECT_TRUE(v6.contains("[2001:db8::1]"));
    EXPECT_FALSE(v6.contains("2001:db9::1"));
    EXPECT_TRUE(AddressRange::parse("0.0.0.0/0")->contains("203.0.113.9"));
}

TEST(ForwardedClient, BelievesForwardingHeadersOnlyFromTrustedPeers) {
    const auto trusted = ranges({"10.0.0.0/8"});
    EXPECT_EQ(forwardedClient("203.0.113.5", "198.51.100.1", "", trusted), "203.0.113.5");
    EXPECT_EQ(forwardedClient("10.0.0.2", "198.51.100.1", "", trusted), "198.51.100.1");
    EXPECT_EQ(forwardedClient("10.0.0.2", "", "", trusted), "10.0.0.2");
}

TEST(ForwardedClient, TakesTheNearestUntrustedHopFromTheRight) {
    const auto trusted = ranges({"10.0.0.0/8"});
    // The client forged the first entry; the proxies appended what they saw.
    EXPECT_EQ(forwardedClient("10.0.0.2", "1.1.1.1, 198.51.100.7, 10.0.0.9", "", trusted), "198.51.100.7");
    EXPECT_EQ(forwardedClient("10.0.0.2", "garbage, 10.0.0.3", "", trusted), "10.0.0.3");
    EXPECT_EQ(forwardedClient("10.0.0.2", "198.51.100.7, garbage", "", trusted), "10.0.0.2");
}

TEST(ForwardedClient, ReadsTheForwardedHeader) {
    const auto trusted = ranges({"::1", "127.0.0.0/8"});
    EXPECT_EQ(forwardedClient("127.0.0.1", "", "for=192.0.2.60;proto=https;by=203.0.113.43", trusted), "192.0.2.60");
    EXPECT_EQ(forwardedClient("::1", "", R"(for="[2001:db8:cafe::17]:4711", for=127.0.0.1)", trusted), "2001:db8:cafe::17");
    EXPECT_EQ(forwardedClient("::1", "", "for=192.0.2.43:8080", trusted), "192.0.2.43");
    EXPECT_EQ(forwardedClient("::1", "", "for=unknown", trusted), "::1");
}

}  // namespace
}  // namespace tessera::host
