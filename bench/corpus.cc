#include "bench/corpus.h"

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace corslint::bench {

namespace {

const char* const kWords[] = {"shop",  "api",   "admin", "static", "auth",
                              "media", "blog",  "docs",  "status", "pay",
                              "cdn",   "files", "app",   "portal", "data"};

std::string Word(std::mt19937& random) {
  return kWords[random() % (sizeof(kWords) / sizeof(kWords[0]))];
}

void WriteServer(std::ostringstream& out, std::mt19937& random, int site,
                 int server) {
  std::string host = Word(random) + std::to_string(site) + ".example.com";
  std::string map_var =
      "$cors_origin_" + std::to_string(site) + "_" + std::to_string(server);
  bool credentials = random() % 2 == 0;

  // An exact allowlist, sometimes with a regex key.
  out << "# Origins trusted by " << host << ".\n";
  out << "map $http_origin " << map_var << " {\n    default \"\";\n";
  int origins = 2 + static_cast<int>(random() % 6);
  for (int i = 0; i < origins; ++i) {
    out << "    \"https://" << Word(random) << i << ".example.com\" "
        << "$http_origin;\n";
  }
  if (random() % 3 == 0) {
    out << "    \"~^https://[a-z0-9-]+\\." << Word(random)
        << "\\.example\\.org$\" $http_origin;\n";
  }
  out << "}\n\n";

  out << "server {\n    listen 80;\n    server_name " << host << ";\n"
      << "    root /srv/" << host << ";\n"
      << "    access_log /var/log/nginx/" << host << ".log;\n\n";

  int locations = 2 + static_cast<int>(random() % 4);
  for (int l = 0; l < locations; ++l) {
    std::string path = "/" + Word(random) + "/";
    out << "    location " << path << " {\n";
    if (random() % 2 == 0) {
      out << "        if ($request_method = OPTIONS) {\n"
          << "            add_header Access-Control-Allow-Origin " << map_var
          << " always;\n"
          << "            add_header Access-Control-Allow-Methods \"GET, "
             "POST, PUT, DELETE\" always;\n"
          << "            add_header Access-Control-Allow-Headers "
             "\"Content-Type, Authorization\" always;\n"
          << "            add_header Access-Control-Max-Age 600 always;\n"
          << "            add_header Vary Origin always;\n"
          << "            return 204;\n        }\n";
    }
    out << "        add_header Access-Control-Allow-Origin " << map_var
        << (random() % 4 ? " always" : "") << ";\n";
    if (credentials) {
      out << "        add_header Access-Control-Allow-Credentials true "
             "always;\n";
    }
    out << "        add_header Vary Origin always;\n";
    if (random() % 2 == 0) {
      out << "        proxy_pass http://127.0.0.1:" << 8000 + l << ";\n"
          << "        proxy_hide_header Access-Control-Allow-Origin;\n"
          << "        proxy_set_header Host $host;\n"
          << "        proxy_set_header X-Forwarded-For "
             "$proxy_add_x_forwarded_for;\n";
    } else {
      out << "        try_files $uri $uri/ =404;\n"
          << "        expires 1h;\n";
    }
    out << "    }\n\n";
  }
  out << "    location = /healthz {\n        return 200 \"ok\\n\";\n    }\n";
  out << "}\n\n";
}

}  // namespace

size_t WriteNginxCorpus(const std::string& dir, size_t count) {
  std::filesystem::create_directories(dir);
  std::mt19937 random(20261203);
  size_t bytes = 0;
  for (size_t site = 0; site < count; ++site) {
    std::ostringstream out;
    out << "# Generated site " << site << " for the corslint benchmark.\n\n";
    int servers = 2 + static_cast<int>(random() % 3);
    for (int server = 0; server < servers; ++server) {
      WriteServer(out, random, static_cast<int>(site), server);
    }
    std::string text = out.str();
    bytes += text.size();
    std::ofstream(dir + "/site" + std::to_string(site) + ".conf") << text;
  }
  return bytes;
}

namespace {

void WriteVirtualHost(std::ostringstream& out, std::mt19937& random, int site,
                      int host_index) {
  std::string host = Word(random) + std::to_string(site) + "-" +
                     std::to_string(host_index) + ".example.com";
  std::string var = "CORS_OK_" + std::to_string(host_index);
  bool credentials = random() % 2 == 0;
  const char* table = random() % 4 ? "always " : "";

  out << "# CORS for " << host << ".\n";
  out << "<VirtualHost *:80>\n    ServerName " << host << "\n"
      << "    DocumentRoot /srv/" << host << "\n"
      << "    ErrorLog ${APACHE_LOG_DIR}/" << host << "-error.log\n\n";

  // An anchored, escaped allowlist.
  out << "    SetEnvIfNoCase Origin \"^https://(";
  int origins = 2 + static_cast<int>(random() % 5);
  for (int i = 0; i < origins; ++i) {
    out << (i ? "|" : "") << Word(random) << i;
  }
  out << ")\\.example\\.com$\" " << var << "=$0\n";
  out << "    Header " << table << "set Access-Control-Allow-Origin \"%{" << var
      << "}e\" env=" << var << "\n";
  if (credentials) {
    out << "    Header " << table
        << "set Access-Control-Allow-Credentials \"true\" env=" << var << "\n";
  }
  out << "    Header always merge Vary Origin\n\n";

  if (random() % 2 == 0) {
    out << "    # Preflights are answered here, with the always table.\n"
        << "    RewriteEngine On\n"
        << "    RewriteCond %{REQUEST_METHOD} OPTIONS\n"
        << "    RewriteRule ^(.*)$ $1 [R=204,L]\n"
        << "    Header always set Access-Control-Allow-Methods \"GET, POST, "
           "PUT, DELETE\" env="
        << var << "\n"
        << "    Header always set Access-Control-Allow-Headers "
           "\"Content-Type, Authorization\" env="
        << var << "\n"
        << "    Header always set Access-Control-Max-Age 600\n\n";
  }

  int locations = 1 + static_cast<int>(random() % 3);
  for (int l = 0; l < locations; ++l) {
    std::string path = "/" + Word(random) + std::to_string(l) + "/";
    out << "    <Location \"" << path << "\">\n";
    if (random() % 2 == 0) {
      out << "        ProxyPass \"http://127.0.0.1:" << 8000 + l << path
          << "\"\n"
          << "        ProxyPassReverse \"http://127.0.0.1:" << 8000 + l << path
          << "\"\n"
          << "        Header always unset Access-Control-Allow-Origin "
             "early\n";
    } else {
      out << "        Options -Indexes\n"
          << "        Header set Cache-Control \"max-age=3600\"\n";
    }
    out << "    </Location>\n\n";
  }
  out << "</VirtualHost>\n\n";
}

}  // namespace

size_t WriteApacheCorpus(const std::string& dir, size_t count) {
  std::filesystem::create_directories(dir);
  std::mt19937 random(20261204);
  size_t bytes = 0;
  for (size_t site = 0; site < count; ++site) {
    std::ostringstream out;
    out << "# Generated virtual hosts " << site
        << " for the corslint benchmark.\n\n";
    int hosts = 2 + static_cast<int>(random() % 3);
    for (int host = 0; host < hosts; ++host) {
      WriteVirtualHost(out, random, static_cast<int>(site), host);
    }
    std::string text = out.str();
    bytes += text.size();
    std::ofstream(dir + "/site" + std::to_string(site) + ".conf") << text;
  }
  return bytes;
}

}  // namespace corslint::bench
