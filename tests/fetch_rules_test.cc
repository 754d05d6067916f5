// The browser rules against the test vectors of the browser reference
// (preflight decision, preflight validation, CORS check, Max-Age, exposed
// headers). Each row names its vector.
#include "analyzer/fetch_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace corslint {
namespace {

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

constexpr char kPage[] = "http://page.test";

struct DecisionCase {
  std::string vector;
  std::string method;
  HeaderList headers;
  bool preflight;
  std::string request_headers;  // Access-Control-Request-Headers
};

TEST(FetchRulesTest, PreflightDecisionFollowsTheVectors) {
  std::string long_accept(129, 'a');
  std::vector<DecisionCase> cases = {
      {"A1", "GET", {}, false, ""},
      {"A2", "POST", {}, false, ""},
      {"A3", "HEAD", {}, false, ""},
      {"A4", "GET", {{"Content-Type", "Text/Plain;charset=utf-8"}}, false, ""},
      {"A5", "GET", {{"Accept-Language", "fr"}}, false, ""},
      {"A6", "post", {{"content-type", "text/plain"}}, false, ""},
      {"A7", "POST", {{"Content-Type", "text/plain;garbage"}}, false, ""},
      {"A8", "POST", {{"Content-Type", "text /plain"}}, true, "content-type"},
      {"A9", "POST", {{"Content-Type", "text/plain,x/x"}}, true,
       "content-type"},
      {"A10", "POST", {{"Content-Type", "multipart/form-data;\""}}, true,
       "content-type"},
      {"A11", "POST", {{"Range", "bytes=200-"}}, false, ""},
      {"A12", "POST", {{"Range", "bytes=-200"}}, true, "range"},
      {"A13", "POST", {{"Range", "bytes=100-200,300-400"}}, true, "range"},
      {"A14", "GET", {{"Accept", long_accept}}, true, "accept"},
      {"A15", "GET", {{"Accept-Language", "@"}}, true, "accept-language"},
      {"A16", "GET", {{"Content-Type", "text/html"}}, true, "content-type"},
      {"A17", "GET", {{"test", "hi"}}, true, "test"},
      {"A18", "GET", {{"authorization", "basics"}}, true, "authorization"},
      {"A19",
       "GET",
       {{"X-Custom-Test", "1"},
        {"X-Custom-ua", "1"},
        {"X-Custom-V", "1"},
        {"X-Custom-s", "1"},
        {"X-Custom-U", "1"}},
       true,
       "x-custom-s,x-custom-test,x-custom-u,x-custom-ua,x-custom-v"},
      {"A20",
       "GET",
       {{"x-test-header1", "1"},
        {"x-test-header2", "1"},
        {"X-test-header3", "1"},
        {"x-test-header-b", "1"},
        {"x-test-header-D", "1"},
        {"x-test-header-C", "1"},
        {"x-test-header-a", "1"},
        {"Content-Type", "allowedOrRefused"},
        {"Accept", "*"},
        {"Accept-Language", "bzh"},
        {"Content-Language", "eu"}},
       true,
       "content-type,x-test-header-a,x-test-header-b,x-test-header-c,"
       "x-test-header-d,x-test-header1,x-test-header2,x-test-header3"},
      {"A21",
       "PUT",
       {{"Accept", "*"}, {"Accept-Language", "bzh"},
        {"Content-Language", "eu"}},
       true,
       ""},
      {"A22",
       "GET",
       {{"x-print", "1"},
        {"save-data", "on"},
        {"device-memory", "1.0"},
        {"dpr", "2.0"},
        {"width", "35"},
        {"viewport-width", "42"}},
       true,
       "x-print"},
      {"A23", "GET", {{"dpr", ""}}, true, "dpr"},
      {"A26", "GET", {{"User-Agent", "x"}}, false, ""},
      {"A30", "NEW", {}, true, ""},
      // Open point 4, decided by the browser suite: Chromium does not
      // lower-case the unit before its safelist check.
      {"range-upper-case-unit", "GET", {{"Range", "BYTES=0-"}}, true,
       "range"},
  };

  // A24 and A25: the 1024-byte budget of safelisted values.
  HeaderList budget = {{"Accept", std::string(128, 'a')},
                       {"Accept-Language", std::string(128, 'a')},
                       {"Content-Language", std::string(128, 'a')},
                       {"Content-Type", "text/plain;" + std::string(117, 'a')},
                       {"Intervention", std::string(128, 'a')},
                       {"Width", std::string(128, '1')},
                       {"Viewport-Width", std::string(128, '1')},
                       {"RTT", std::string(128, '1')}};
  cases.push_back({"A24", "GET", budget, false, ""});
  budget.emplace_back("DPR", "1");
  cases.push_back({"A25", "GET", budget, true,
                   "accept,accept-language,content-language,content-type,dpr,"
                   "intervention,rtt,viewport-width,width"});

  for (const DecisionCase& c : cases) {
    SCOPED_TRACE(c.vector);
    HeaderList effective = EffectiveHeaders(c.headers, nullptr);
    PreflightNeed need = DecidePreflight(NormalizeMethod(c.method), effective);
    EXPECT_EQ(need.needed(), c.preflight);
    EXPECT_EQ(RequestHeadersValue(need.unsafe_headers), c.request_headers);
  }
}

TEST(FetchRulesTest, MethodsAreNormalisedOnlyForTheStandardSix) {
  EXPECT_EQ(NormalizeMethod("put"), "PUT");
  EXPECT_EQ(NormalizeMethod("Delete"), "DELETE");
  EXPECT_EQ(NormalizeMethod("patch"), "patch");
  EXPECT_TRUE(IsForbiddenMethod("trace"));
  EXPECT_FALSE(IsForbiddenMethod("PATCH"));
}

TEST(FetchRulesTest, ForbiddenHeadersAreDroppedAndRepeatsMerged) {
  std::vector<std::string> dropped;
  HeaderList effective = EffectiveHeaders(
      {{"Cookie", "a=b"}, {"X-A", "1"}, {"Sec-Foo", "x"}, {"x-a", " 2 "}},
      &dropped);
  EXPECT_THAT(dropped, ElementsAre("Cookie", "Sec-Foo"));
  ASSERT_EQ(effective.size(), 1u);
  EXPECT_EQ(effective[0].second, "1, 2");
}

struct PreflightCase {
  std::string vector;
  std::string method;
  HeaderList headers;
  CredentialsMode credentials;
  int status;
  HeaderList response;
  std::string error;  // empty: passes
  std::string failed_parameter;
};

TEST(FetchRulesTest, PreflightValidationFollowsChromiumsOrder) {
  const auto kCred = CredentialsMode::kInclude;
  const auto kAnon = CredentialsMode::kSameOrigin;
  HeaderList star = {{"Access-Control-Allow-Origin", "*"}};
  HeaderList echo = {{"Access-Control-Allow-Origin", kPage},
                     {"Access-Control-Allow-Credentials", "true"}};
  auto with = [](HeaderList base, HeaderList more) {
    base.insert(base.end(), more.begin(), more.end());
    return base;
  };
  std::vector<PreflightCase> cases = {
      {"B1", "GET", {{"x-force-preflight", "1"}}, kAnon, 204,
       with(star, {{"Access-Control-Allow-Headers", "x-force-preflight"}}), "",
       ""},
      {"B2", "GET", {{"x-force-preflight", "1"}}, kAnon, 404,
       with(star, {{"Access-Control-Allow-Headers", "x-force-preflight"}}),
       "PreflightInvalidStatus", ""},
      {"B3", "GET", {{"x-test", "1"}}, kAnon, 301,
       {{"Access-Control-Allow-Origin", kPage}, {"Location", "/x"}},
       "PreflightDisallowedRedirect", ""},
      {"B4", "PUT", {}, kAnon, 404, {}, "PreflightMissingAllowOriginHeader",
       ""},
      {"B5", "PUT", {}, kAnon, 200, {{"Access-Control-Allow-Methods", "PUT"}},
       "PreflightMissingAllowOriginHeader", ""},
      {"B6", "OK", {{"X-Test", "1"}}, kCred, 200,
       with(echo, {{"Access-Control-Allow-Methods", "*"},
                   {"Access-Control-Allow-Headers", "*"}}),
       "MethodDisallowedByPreflightResponse", "OK"},
      {"B7", "PUT", {}, kCred, 200,
       with(echo, {{"Access-Control-Allow-Methods", "*"},
                   {"Access-Control-Allow-Headers", ""}}),
       "MethodDisallowedByPreflightResponse", "PUT"},
      {"B8", "GET", {{"X-Test", "1"}}, kCred, 200,
       with(echo, {{"Access-Control-Allow-Methods", "get"},
                   {"Access-Control-Allow-Headers", "*"}}),
       "HeaderDisallowedByPreflightResponse", "x-test"},
      {"B10", "*", {{"*", "1"}}, kCred, 200,
       with(echo, {{"Access-Control-Allow-Methods", "*"},
                   {"Access-Control-Allow-Headers", "*"}}),
       "", ""},
      {"B11", "GET", {{"X-Test", "1"}}, kAnon, 200,
       with(star, {{"Access-Control-Allow-Methods", "get"},
                   {"Access-Control-Allow-Headers", "x-test"}}),
       "", ""},
      {"B12", "SUPER", {{"X-Test", "1"}}, kAnon, 200,
       with(star, {{"Access-Control-Allow-Methods", "*"},
                   {"Access-Control-Allow-Headers", "x-test"}}),
       "", ""},
      {"B14", "put", {}, kCred, 200,
       with(echo, {{"Access-Control-Allow-Methods", "PUT"},
                   {"Access-Control-Allow-Headers", "*"}}),
       "", ""},
      {"B15", "delete", {}, kCred, 200,
       with(echo, {{"Access-Control-Allow-Methods", "delete"}}),
       "MethodDisallowedByPreflightResponse", "DELETE"},
      {"B16", "patch", {}, kCred, 200,
       with(echo, {{"Access-Control-Allow-Methods", "PATCH"}}),
       "MethodDisallowedByPreflightResponse", "patch"},
      {"B18", "patch", {}, kCred, 200,
       with(echo, {{"Access-Control-Allow-Methods", "patch"}}), "", ""},
      {"B20", "POST", {{"Authorization", "123"}}, kAnon, 200,
       with(star, {{"Access-Control-Allow-Methods", "*"},
                   {"Access-Control-Allow-Headers", "*"}}),
       "", ""},
      {"B22", "GET", {{"x-force-preflight", "1"}}, kAnon, 200,
       with(star, {{"Access-Control-Allow-Headers",
                    "x-force-preflight,header name with space"}}),
       "InvalidAllowHeadersPreflightResponse", ""},
      {"B23", "GET", {{"x-force-preflight", "1"}}, kAnon, 200,
       with(star, {{"Access-Control-Allow-Headers", "x-force-preflight"},
                   {"Access-Control-Allow-Methods", "Bad method name"}}),
       "InvalidAllowMethodsPreflightResponse", ""},
      {"B24", "GET", {{"x-print", "1"}, {"y-print", "1"}}, kAnon, 200,
       with(star, {{"Access-Control-Allow-Headers",
                    ",y-lol,x-print, ,,,y-print"}}),
       "", ""},
      {"B25", "PUT", {}, kAnon, 200,
       with(star, {{"Access-Control-Allow-Methods", ",,PUT,GET"}}), "", ""},
      {"B26", "GET", {{"x-print", "1"}, {"y-print", "1"}}, kAnon, 200,
       with(star, {{"Access-Control-Allow-Headers", "x-print"}}),
       "HeaderDisallowedByPreflightResponse", "y-print"},
      {"B27", "PUT", {}, kCred, 200,
       {{"Access-Control-Allow-Origin", "*"},
        {"Access-Control-Allow-Credentials", "true"},
        {"Access-Control-Allow-Methods", "PUT"}},
       "PreflightWildcardOriginNotAllowed", ""},
      {"B28", "PUT", {}, kCred, 200,
       {{"Access-Control-Allow-Origin", kPage},
        {"Access-Control-Allow-Methods", "PUT"}},
       "PreflightInvalidAllowCredentials", ""},
      {"B29", "PUT", {}, kAnon, 200, star,
       "MethodDisallowedByPreflightResponse", "PUT"},
      {"B30", "DELETE", {}, kAnon, 200,
       with(star, {{"Access-Control-Allow-Methods", "PUT"},
                   {"Access-Control-Allow-Methods", "DELETE"}}),
       "", ""},
  };

  for (const PreflightCase& c : cases) {
    SCOPED_TRACE(c.vector);
    BrowserRequest request;
    request.page_origin = kPage;
    request.method = c.method;
    request.headers = EffectiveHeaders(c.headers, nullptr);
    request.credentials = c.credentials;
    PreflightNeed need =
        DecidePreflight(NormalizeMethod(c.method), request.headers);
    std::optional<CorsError> error = CheckPreflightResponse(
        c.status, c.response, request, need.unsafe_headers);
    EXPECT_EQ(error ? error->code : "", c.error);
    EXPECT_EQ(error ? error->failed_parameter : "", c.failed_parameter);
  }
}

struct CheckCase {
  std::string vector;
  CredentialsMode credentials;
  HeaderList response;
  std::string error;
  std::string failed_parameter;
};

TEST(FetchRulesTest, CorsCheckFollowsTheVectors) {
  const auto kCred = CredentialsMode::kInclude;
  const auto kAnon = CredentialsMode::kSameOrigin;
  const std::string kAcao = "Access-Control-Allow-Origin";
  std::vector<CheckCase> cases = {
      {"C1", kAnon, {{kAcao, kPage}}, "", ""},
      {"C2", kAnon, {{kAcao, "  *  "}}, "", ""},
      {"C3", kAnon, {{kAcao, "  http://page.test   \t "}}, "", ""},
      {"C4", kAnon, {{kAcao, "http://page.test/"}}, "AllowOriginMismatch",
       "http://page.test/"},
      {"C5", kAnon, {{kAcao, "HTTP://PAGE.TEST"}}, "AllowOriginMismatch",
       "HTTP://PAGE.TEST"},
      {"C6", kAnon, {{kAcao, "http://page.test, *"}},
       "MultipleAllowOriginValues", "http://page.test, *"},
      {"C7", kAnon, {{kAcao, kPage}, {kAcao, kPage}},
       "MultipleAllowOriginValues", "http://page.test, http://page.test"},
      {"C8", kAnon, {{kAcao, "null"}}, "AllowOriginMismatch", "null"},
      {"C9", kAnon, {{kAcao, ""}}, "InvalidAllowOriginValue", ""},
      {"C10", kAnon, {{kAcao, "-"}}, "InvalidAllowOriginValue", "-"},
      {"C11", kAnon, {{kAcao, "http://page.test:80"}}, "AllowOriginMismatch",
       "http://page.test:80"},
      {"C12", kAnon, {{kAcao, "* null"}}, "MultipleAllowOriginValues",
       "* null"},
      {"C13", kAnon, {}, "MissingAllowOriginHeader", ""},
      {"C15", kCred,
       {{kAcao, kPage}, {"Access-Control-Allow-Credentials", "TRUE"}},
       "InvalidAllowCredentials", "TRUE"},
      {"C16", kCred,
       {{kAcao, "*"}, {"Access-Control-Allow-Credentials", "true"}},
       "WildcardOriginNotAllowed", ""},
      {"C17", kAnon,
       {{kAcao, "*"}, {"Access-Control-Allow-Credentials", "true"}}, "", ""},
      {"C21", kAnon,
       {{kAcao, "*"}, {kAcao, "http://example.com"}, {kAcao, "*"}},
       "MultipleAllowOriginValues", "*, http://example.com, *"},
  };
  for (const CheckCase& c : cases) {
    SCOPED_TRACE(c.vector);
    std::optional<CorsError> error =
        CheckCorsResponse(c.response, kPage, c.credentials, false);
    EXPECT_EQ(error ? error->code : "", c.error);
    EXPECT_EQ(error ? error->failed_parameter : "", c.failed_parameter);
  }
}

TEST(FetchRulesTest, MaxAgeFollowsChromiumsParser) {
  auto seconds = [](std::optional<std::string> value) {
    HeaderList headers;
    if (value) headers.emplace_back("Access-Control-Max-Age", *value);
    return PreflightCacheSeconds(headers);
  };
  EXPECT_EQ(seconds(std::nullopt), 5);
  EXPECT_EQ(seconds("600"), 600);
  EXPECT_EQ(seconds("86400"), 7200);
  EXPECT_EQ(seconds("0"), 0);
  EXPECT_EQ(seconds("-1"), 0);
  EXPECT_EQ(seconds("abc"), 5);
  EXPECT_EQ(seconds("1.5"), 5);
  EXPECT_EQ(seconds("+600"), 600);
  EXPECT_EQ(seconds("99999999999999999999"), 5);
  HeaderList two = {{"Access-Control-Max-Age", "10"},
                    {"Access-Control-Max-Age", "20"}};
  EXPECT_EQ(PreflightCacheSeconds(two), 5);
}

TEST(FetchRulesTest, ExposedHeadersFollowTheVectors) {
  const auto kCred = CredentialsMode::kInclude;
  const auto kAnon = CredentialsMode::kSameOrigin;
  HeaderList f1 = {{"Cache-Control", "x"},  {"Content-Language", "x"},
                   {"Content-Type", "x"},   {"Expires", "x"},
                   {"Last-Modified", "x"},  {"Pragma", "x"},
                   {"Content-Length", "1"}, {"Age", "1"},
                   {"Server", "x"},         {"Warning", "x"},
                   {"Set-Cookie", "x"},     {"Set-Cookie2", "x"}};
  EXPECT_THAT(ReadableHeaders(f1, kAnon),
              UnorderedElementsAre("cache-control", "content-language",
                                   "content-type", "expires", "last-modified",
                                   "pragma", "content-length"));  // F1

  HeaderList f2 = {{"Access-Control-Expose-Headers", "Age"}, {"Age", "1"}};
  EXPECT_THAT(ReadableHeaders(f2, kCred), ElementsAre("age"));  // F2

  HeaderList star = {{"Access-Control-Expose-Headers", "*"},
                     {"Test", "X"},
                     {"Set-Cookie", "X"},
                     {"*", "whoa"},
                     {"Content-Type", "text/plain"}};
  EXPECT_THAT(ReadableHeaders(star, kAnon),
              ElementsAre("access-control-expose-headers", "test", "*",
                          "content-type"));  // F4
  EXPECT_THAT(ReadableHeaders(star, kCred),
              ElementsAre("*", "content-type"));  // F5

  HeaderList invalid = {{"Access-Control-Expose-Headers", "not valid"},
                        {"not", "x"}};
  EXPECT_TRUE(ReadableHeaders(invalid, kAnon).empty());  // F7
  HeaderList empty_items = {{"Access-Control-Expose-Headers", ", , , bb-8,"},
                            {"bb-8", "x"}};
  EXPECT_THAT(ReadableHeaders(empty_items, kAnon), ElementsAre("bb-8"));  // F8
}

TEST(FetchRulesTest, ConsoleMessagesUseChromiumsWords) {
  EXPECT_EQ(ConsoleMessage({"PreflightMissingAllowOriginHeader", "", ""},
                           "https://api.example/v1/items",
                           "https://app.example"),
            "Access to fetch at 'https://api.example/v1/items' from origin "
            "'https://app.example' has been blocked by CORS policy: Response "
            "to preflight request doesn't pass access control check: No "
            "'Access-Control-Allow-Origin' header is present on the "
            "requested resource. If an opaque response serves your needs, "
            "set the request's mode to 'no-cors' to fetch the resource with "
            "CORS disabled.");
  EXPECT_EQ(ConsoleMessage({"HeaderDisallowedByPreflightResponse", "x-a", ""},
                           "http://h/", "http://o"),
            "Access to fetch at 'http://h/' from origin 'http://o' has been "
            "blocked by CORS policy: Request header field x-a is not allowed "
            "by Access-Control-Allow-Headers in preflight response.");
}

TEST(FetchRulesTest, SerializedOrigins) {
  EXPECT_TRUE(IsSerializedOrigin("https://app.example.com"));
  EXPECT_TRUE(IsSerializedOrigin("http://[::1]:8080"));
  EXPECT_TRUE(IsSerializedOrigin("null"));
  EXPECT_FALSE(IsSerializedOrigin("https://app.example.com/"));
  EXPECT_FALSE(IsSerializedOrigin("https://App.example.com"));
  EXPECT_FALSE(IsSerializedOrigin("https://app.example.com:443"));
  EXPECT_FALSE(IsSerializedOrigin("app.example.com"));
}

}  // namespace
}  // namespace corslint
