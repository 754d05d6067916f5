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

std::string Origins(std::mt19937& random, int site, const char* quote) {
  std::string list;
  int origins = 2 + static_cast<int>(random() % 5);
  for (int i = 0; i < origins; ++i) {
    list += std::string(i ? ", " : "") + quote + "https://" + Word(random) +
            std::to_string(site) + ".example.com" + quote;
  }
  return list;
}

void WriteExpressApp(std::ostringstream& out, std::mt19937& random, int site,
                     bool typescript) {
  const char* req = typescript ? "req: Request" : "req";
  const char* res = typescript ? "res: Response" : "res";
  out << "// Generated service " << site << " for the corslint benchmark.\n";
  if (typescript) {
    out << "import express, { Request, Response, NextFunction } from "
           "'express';\nimport cors, { CorsOptions } from 'cors';\n"
           "import { db } from './db';\n\n";
  } else {
    out << "'use strict';\n\nconst express = require('express');\n"
           "const cors = require('cors');\nconst { db } = require('./db');\n\n";
  }
  out << "const app = express();\nconst allowedOrigins = ["
      << Origins(random, site, "'") << "];\n\n";
  out << "const corsOptions" << (typescript ? ": CorsOptions" : "")
      << " = {\n";
  if (random() % 2 == 0) {
    out << "  origin(origin, callback) {\n"
           "    // Requests without Origin come from servers and tools.\n"
           "    if (!origin || allowedOrigins.includes(origin)) {\n"
           "      callback(null, true);\n    } else {\n"
           "      callback(new Error('origin not allowed'));\n    }\n  },\n";
  } else {
    out << "  origin: allowedOrigins,\n";
  }
  out << "  credentials: " << (random() % 2 ? "true" : "false") << ",\n"
      << "  methods: ['GET', 'POST', 'PUT', 'DELETE'],\n"
      << "  allowedHeaders: ['Content-Type', 'Authorization'],\n"
      << "  maxAge: " << 300 * (1 + random() % 4) << ",\n};\n\n";
  out << "app.use(express.json({ limit: '1mb' }));\n";
  out << (random() % 3 == 0 ? "app.use('/api', cors(corsOptions));\n"
                            : "app.use(cors(corsOptions));\n");
  out << "app.use((" << req << ", " << res << ", next"
      << (typescript ? ": NextFunction" : "") << ") => {\n"
      << "  res.set('X-Service', 'svc" << site << "');\n"
      << "  res.set('Cache-Control', 'no-store');\n  next();\n});\n\n";

  int routes = 8 + static_cast<int>(random() % 8);
  static const char* const kVerbs[] = {"get", "post", "put", "delete"};
  for (int r = 0; r < routes; ++r) {
    std::string resource = Word(random);
    const char* verb = kVerbs[random() % 4];
    out << "// " << verb << " on " << resource << ", route " << r << ".\n"
        << "app." << verb << "('/api/" << resource << r << "/:id', async ("
        << req << ", " << res << ") => {\n"
        << "  const id = Number(req.params.id);\n"
        << "  if (!Number.isInteger(id) || id <= 0) {\n"
        << "    return res.status(400).json({ error: 'bad id' });\n  }\n"
        << "  const item = await db." << resource << ".find(id);\n"
        << "  if (!item) {\n"
        << "    return res.status(404).json({ error: 'not found' });\n  }\n"
        << "  const body = { ...item, fetchedAt: new Date().toISOString() };\n"
        << "  for (const key of Object.keys(body)) {\n"
        << "    if (key.startsWith('_')) delete body[key];\n  }\n"
        << "  res.json(body);\n});\n\n";
  }
  out << "app.listen(Number(process.env.PORT || 3000));\n";
}

void WriteFlaskApp(std::ostringstream& out, std::mt19937& random, int site) {
  out << "\"\"\"Generated application " << site
      << " for the corslint benchmark.\"\"\"\nimport os\nfrom datetime "
         "import timedelta\n\nfrom flask import Blueprint, Flask, abort, "
         "jsonify, request\nfrom flask_cors import CORS, cross_origin\n\n"
         "from .models import db\n\n"
         "app = Flask(__name__)\napp.config['CORS_SUPPORTS_CREDENTIALS'] = "
      << (random() % 2 ? "True" : "False") << "\n"
      << "ALLOWED_ORIGINS = [" << Origins(random, site, "\"") << "]\n\n";
  if (random() % 2) {
    out << "CORS(app, resources={r\"/api/*\": {\"origins\": ALLOWED_ORIGINS},"
           " r\"/public/*\": {\"origins\": \"*\"}},\n     max_age=timedelta("
           "minutes=10))\n\n";
  } else {
    out << "cors = CORS(origins=ALLOWED_ORIGINS)\ncors.init_app(app, "
           "expose_headers=[\"X-Total-Count\"])\n\n";
  }
  out << "api = Blueprint(\"api\", __name__, url_prefix=\"/api\")\n\n\n"
         "@app.after_request\ndef security_headers(response):\n"
         "    response.headers[\"X-Content-Type-Options\"] = \"nosniff\"\n"
         "    response.headers[\"Cache-Control\"] = \"no-store\"\n"
         "    return response\n\n";
  int views = 8 + static_cast<int>(random() % 8);
  for (int v = 0; v < views; ++v) {
    std::string resource = Word(random);
    out << "\n@api.route(\"/" << resource << v
        << "/<int:item_id>\", methods=[\"GET\", \"PUT\"])\n";
    if (random() % 5 == 0) {
      out << "@cross_origin(origins=ALLOWED_ORIGINS[:1])\n";
    }
    out << "def " << resource << v << "(item_id):\n"
        << "    \"\"\"Returns or updates one " << resource << ".\"\"\"\n"
        << "    item = db." << resource << ".get(item_id)\n"
        << "    if item is None:\n        abort(404)\n"
        << "    if request.method == \"PUT\":\n"
        << "        payload = request.get_json(silent=True) or {}\n"
        << "        for key, value in payload.items():\n"
        << "            if not key.startswith(\"_\"):\n"
        << "                setattr(item, key, value)\n"
        << "        db.session.commit()\n"
        << "    return jsonify(item.to_dict())\n\n";
  }
  out << "\napp.register_blueprint(api)\n\nif __name__ == \"__main__\":\n"
         "    app.run(port=int(os.environ.get(\"PORT\", \"5000\")))\n";
}

// Writes `count` files into `dir`; `write` fills one and names it.
template <typename Write>
size_t WriteFiles(const std::string& dir, size_t count, Write write) {
  std::filesystem::create_directories(dir);
  std::mt19937 random(20261203);
  size_t bytes = 0;
  for (size_t site = 0; site < count; ++site) {
    std::ostringstream out;
    std::string name = write(out, random, static_cast<int>(site));
    std::string text = out.str();
    bytes += text.size();
    std::ofstream(dir + "/" + name) << text;
  }
  return bytes;
}

}  // namespace

size_t WriteExpressCorpus(const std::string& dir, size_t count) {
  return WriteFiles(dir, count, [](std::ostringstream& out,
                                   std::mt19937& random, int site) {
    bool typescript = site % 5 == 4;
    WriteExpressApp(out, random, site, typescript);
    return "service" + std::to_string(site) + (typescript ? ".ts" : ".js");
  });
}

size_t WriteFlaskCorpus(const std::string& dir, size_t count) {
  return WriteFiles(dir, count, [](std::ostringstream& out,
                                   std::mt19937& random, int site) {
    WriteFlaskApp(out, random, site);
    return "app" + std::to_string(site) + ".py";
  });
}

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
