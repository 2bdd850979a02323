#pragma once
// One real host per test suite (tessera::test::HostSuite: tenants "acme" and "globex"),
// plus helpers that create contacts and companies through the HTTP API.

#include "host_suite.hpp"

namespace tessera::plugins::contacts::test {

using tessera::test::HttpResult;
using tessera::test::Json;

class ContactsTest : public tessera::test::HostSuite {
public:
    // Creates a contact and returns it, failing the test unless the answer is 201.
    static Json createContact(const Json& body) { return created("/api/v1/contacts", body); }
    static Json createCompany(const Json& body) { return created("/api/v1/companies", body); }
};

}  // namespace tessera::plugins::contacts::test
