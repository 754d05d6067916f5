#include "tests/support/real_nginx.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace corslint {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Whether a server could listen on 127.0.0.1:`port` right now. Like nginx,
// it sets SO_REUSEADDR, so closed connections waiting out TIME_WAIT do not
// count.
bool PortIsFree(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int on = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  bool bound =
      bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  close(fd);
  return bound;
}

TEST(NginxShapeTest, TellsFullSiteAndSnippetApart) {
  EXPECT_EQ(DetectNginxShape("events {}\nhttp { server { listen 80; } }\n"),
            NginxShape::kFull);
  EXPECT_EQ(DetectNginxShape("# server {\nserver { listen 80; }\n"),
            NginxShape::kSite);
  EXPECT_EQ(DetectNginxShape("map $http_origin $o { default \"\"; }\n"
                             "server { listen 80; }\n"),
            NginxShape::kSite);
  EXPECT_EQ(DetectNginxShape("add_header X \"server {\" always;\n"
                             "if ($http_origin) { return 204; }\n"),
            NginxShape::kSnippet);
}

TEST(NginxShapeTest, TopLevelDirectivesSkipBlockContents) {
  EXPECT_THAT(TopLevelNginxDirectives("user nobody;\n"
                                      "events { worker_connections 8; }\n"
                                      "http { server { listen 80; } }\n"
                                      "pid \"/run/x.pid\";\n"),
              ElementsAre("user", "events", "http", "pid"));
  EXPECT_THAT(TopLevelNginxDirectives("set $a ${b}c; return 200 '}';\n"),
              ElementsAre("set", "return"));
}

TEST(NginxShapeTest, WrappingKeepsTheTextsLineNumbers) {
  std::string error;
  std::string wrapped =
      WrapNginxConfig("# first\nadd_header X y;\n", 8080, &error);
  ASSERT_FALSE(wrapped.empty()) << error;
  EXPECT_THAT(wrapped, HasSubstr("headers_more"));
  size_t line_two = wrapped.find('\n') + 1;
  EXPECT_EQ(wrapped.compare(line_two, 16, "add_header X y;\n"), 0) << wrapped;
}

TEST(NginxAcceptsTest, AcceptsEachShape) {
  std::string output;
  EXPECT_TRUE(NginxAccepts("add_header X-A b always;\n", &output)) << output;
  EXPECT_TRUE(NginxAccepts("server { listen 127.0.0.1:8080; }\n", &output))
      << output;
  EXPECT_TRUE(
      NginxAccepts("events {}\nhttp { server { more_set_headers "
                   "'X-A: b'; } }\n",
                   &output))
      << output;
}

TEST(NginxAcceptsTest, RejectsABrokenConfigWithNginxsMessage) {
  std::string output;
  EXPECT_FALSE(NginxAccepts("add_header X-A;\n", &output));
  EXPECT_THAT(output,
              HasSubstr("invalid number of arguments in \"add_header\""));
  EXPECT_THAT(output, HasSubstr("test failed"));

  EXPECT_FALSE(NginxAccepts("server { location / {\n", &output));
  EXPECT_THAT(output, HasSubstr("unexpected end of file"));
}

TEST(NginxAcceptsTest, ResolvesIncludesFromTheGivenDirectory) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() /
                 ("corslint-include-test-" + std::to_string(getpid()));
  fs::create_directories(dir / "snippets");
  std::ofstream(dir / "snippets" / "cors.conf")
      << "add_header Access-Control-Allow-Origin \"*\" always;\n";

  std::string output;
  EXPECT_TRUE(
      NginxAccepts("include snippets/cors.conf;\n", dir.string(), &output))
      << output;
  EXPECT_FALSE(
      NginxAccepts("include snippets/missing.conf;\n", dir.string(), &output));
  EXPECT_THAT(output, HasSubstr("missing.conf"));
  fs::remove_all(dir);
}

TEST(NginxServerTest, ServesASnippetAndStopFreesThePort) {
  int port = 0;
  {
    NginxServer server;
    std::string error;
    ASSERT_TRUE(
        server.Start("add_header X-Test one always;\n"
                     "add_header X-Test two always;\n",
                     &error))
        << error;
    port = server.port();
    EXPECT_FALSE(PortIsFree(port));

    HttpResponse response = server.Fetch("GET", "/");
    ASSERT_EQ(response.error, "");
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, "corslint\n");
    EXPECT_THAT(response.HeaderValues("x-test"), ElementsAre("one", "two"));
    EXPECT_THAT(response.HeaderValues("X-Absent"), ElementsAre());

    HttpResponse missing = server.Fetch("GET", "/missing");
    EXPECT_EQ(missing.status, 404);
    EXPECT_THAT(missing.HeaderValues("X-Test"), ElementsAre("one", "two"));
  }
  EXPECT_TRUE(PortIsFree(port));
}

TEST(NginxServerTest, SendsRequestHeadersAndServesTwoPorts) {
  NginxServer server;
  std::string error;
  ASSERT_TRUE(server.Start(
      "server {\n"
      "  listen 127.0.0.1:@PORT@;\n"
      "  location / {\n"
      "    proxy_pass http://127.0.0.1:@PORT2@;\n"
      "  }\n"
      "}\n"
      "server {\n"
      "  listen 127.0.0.1:@PORT2@;\n"
      "  location / {\n"
      "    add_header Access-Control-Allow-Origin $http_origin always;\n"
      "    return 204;\n"
      "  }\n"
      "}\n",
      &error))
      << error;
  EXPECT_NE(server.port(), server.port2());

  HttpResponse response =
      server.Fetch("OPTIONS", "/api", {{"Origin", "https://app.example.com"}});
  ASSERT_EQ(response.error, "");
  EXPECT_EQ(response.status, 204);
  EXPECT_THAT(response.HeaderValues("Access-Control-Allow-Origin"),
              ElementsAre("https://app.example.com"));
}

TEST(NginxServerTest, StartFailsWithNginxsMessage) {
  NginxServer server;
  std::string error;
  EXPECT_FALSE(server.Start("add_header X-A;\n", &error));
  EXPECT_THAT(error, HasSubstr("invalid number of arguments"));

  EXPECT_FALSE(server.Start("server { listen 127.0.0.1:1; }\n", &error));
  EXPECT_THAT(error, HasSubstr("@PORT@"));

  EXPECT_FALSE(server.Start("pid /tmp/x.pid;\nevents {}\n", &error));
  EXPECT_THAT(error, HasSubstr("'pid'"));
}

TEST(NginxServerTest, FetchReportsARefusedConnection) {
  NginxServer server;
  std::string error;
  ASSERT_TRUE(server.Start("return 200;\n", &error)) << error;
  server.Stop();
  HttpResponse response = server.Fetch("GET", "/");
  EXPECT_EQ(response.status, 0);
  EXPECT_NE(response.error, "");
}

}  // namespace
}  // namespace corslint
