#include "tests/support/httpd_check.h"

#include <filesystem>

#include "tests/support/run_command.h"

namespace corslint::testing {

std::string HttpdConfig(const std::string& root, int port,
                        const std::string& directives) {
  const std::string modules = "/usr/lib/apache2/modules/";
  std::string listen = "127.0.0.1:" + std::to_string(port);
  std::string config = "ServerRoot " + root + "\nServerName localhost\n";
  config += "Listen " + listen + "\n";
  for (const char* module :
       {"mpm_event", "authz_core", "headers", "setenvif", "rewrite", "mime",
        "dir", "alias", "proxy", "proxy_http"}) {
    config += "LoadModule " + std::string(module) + "_module " + modules +
              "mod_" + module + ".so\n";
  }
  config +=
      "TypesConfig /etc/mime.types\n"
      "User www-data\nGroup www-data\n"
      "PidFile " +
      root +
      "/httpd.pid\n"
      "ErrorLog " +
      root +
      "/error.log\n"
      "DocumentRoot " +
      root +
      "/htdocs\n"
      "<Directory " +
      root +
      "/htdocs>\n  Require all granted\n"
      "</Directory>\n"
      "<VirtualHost " +
      listen + ">\n" + directives + "\n</VirtualHost>\n";
  return config;
}

bool HttpdAccepts(const std::string& directives, std::string* output) {
  std::string root = MakeTempDir();
  std::filesystem::create_directories(root + "/htdocs");
  std::string path = root + "/httpd.conf";
  WriteFile(path, HttpdConfig(root, 8080, directives));
  int status = RunCommand({"apache2", "-t", "-f", path}, output);
  std::filesystem::remove_all(root);
  return status == 0;
}

}  // namespace corslint::testing
