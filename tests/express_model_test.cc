// The Express reader: inputs and the compact dump of the model they give.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "tests/support/code_dump.h"

namespace corslint {
namespace {

struct ParseCase {
  const char* name;
  const char* file;  // its extension picks the grammar
  const char* code;
  std::vector<std::pair<std::string, std::string>> siblings;
  int flask_cors_line;
  const char* dump;
};

void PrintTo(const ParseCase& parse_case, std::ostream* out) {
  *out << parse_case.name;
}

const ParseCase kCases[] = {
    {"DefaultsAllowEveryOriginWithStar",
     "app.js",
     R"code(const express = require('express');
const cors = require('cors');
const app = express();
app.use(cors());
app.get('/api/items', (req, res) => res.json([]));
)code",
     {},
     6,
     R"dump(scope route GET /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: *
  GET attacker -> 200 app
    Access-Control-Allow-Origin: *
  PUT preflight -> 204 config
    Access-Control-Allow-Origin: *
    Access-Control-Allow-Methods: GET,HEAD,PUT,PATCH,POST,DELETE
    Vary: Access-Control-Request-Headers
    Access-Control-Allow-Headers: content-type
  GET app failing -> 500 app
    Access-Control-Allow-Origin: *
)dump"},
    {"OriginTrueReflectsWithVary",
     "app.js",
     R"code(const express = require('express');
const cors = require('cors');
const app = express();
app.use(cors({ origin: true, credentials: true }));
app.get('/api/items', (req, res) => res.json([]));
)code",
     {},
     6,
     R"dump(scope route GET /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
    Access-Control-Allow-Credentials: true
  GET attacker -> 200 app
    Access-Control-Allow-Origin: https://attacker.test
    Vary: Origin
    Access-Control-Allow-Credentials: true
  PUT preflight -> 204 config
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin, Access-Control-Request-Headers
    Access-Control-Allow-Credentials: true
    Access-Control-Allow-Methods: GET,HEAD,PUT,PATCH,POST,DELETE
    Access-Control-Allow-Headers: content-type
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
    Access-Control-Allow-Credentials: true
)dump"},
    {"StringOriginIsSentAsIs",
     "app.js",
     R"code(const express = require('express');
const cors = require('cors');
const app = express();
app.use(cors({ origin: 'https://app.example.com' }));
app.get('/api/items', (req, res) => res.json([]));
)code",
     {},
     6,
     R"dump(scope route GET /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
  GET attacker -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
  PUT preflight -> 204 config
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin, Access-Control-Request-Headers
    Access-Control-Allow-Methods: GET,HEAD,PUT,PATCH,POST,DELETE
    Access-Control-Allow-Headers: content-type
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
check fixed https://app.example.com
)dump"},
    {"ArrayMatchesStringsExactlyAndRegExpsBySearch",
     "app.js",
     R"code(const express = require('express');
const cors = require('cors');
const app = express();
app.use(cors({ origin: ['https://app.example.com', /\.example\.org$/] }));
app.get('/api/items', (req, res) => res.json([]));
)code",
     {},
     6,
     R"dump(scope route GET /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
  GET attacker -> 200 app
    Vary: Origin
  PUT preflight -> 204 config
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin, Access-Control-Request-Headers
    Access-Control-Allow-Methods: GET,HEAD,PUT,PATCH,POST,DELETE
    Access-Control-Allow-Headers: content-type
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
check exact https://app.example.com
check regex \.example\.org$
)dump"},
    {"FalseOriginDisablesCorsAndExpressAnswersOptions",
     "app.js",
     R"code(const express = require('express');
const cors = require('cors');
const app = express();
app.use(cors({ origin: false }));
app.get('/api/items', (req, res) => res.json([]));
)code",
     {},
     6,
     R"dump(scope route GET /api/items @/api/items
  GET app -> 200 app
  GET attacker -> 200 app
  PUT preflight -> 200 config
    Allow: GET, HEAD
  GET app failing -> 500 app
)dump"},
    {"PreflightContinueAndSuccessStatus",
     "app.js",
     R"code(const express = require('express');
const cors = require('cors');
const app = express();
app.use(cors({ preflightContinue: true }));
app.options('/api/items', cors({ optionsSuccessStatus: 200 }));
app.get('/api/items', (req, res) => res.json([]));
)code",
     {},
     6,
     R"dump(scope route OPTIONS /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: *
  GET attacker -> 200 app
    Access-Control-Allow-Origin: *
  PUT preflight -> 200 config
    Vary: Access-Control-Request-Headers
    Access-Control-Allow-Origin: *
    Access-Control-Allow-Methods: GET,HEAD,PUT,PATCH,POST,DELETE
    Access-Control-Allow-Headers: content-type
  GET app failing -> 500 app
    Access-Control-Allow-Origin: *
)dump"},
    {"HeaderOptions",
     "app.js",
     R"code(const express = require('express');
const cors = require('cors');
const app = express();
app.use(cors({ origin: 'https://app.example.com', methods: ['GET', 'PUT'], allowedHeaders: 'Content-Type,Authorization', exposedHeaders: ['X-Total'], maxAge: 0 }));
app.get('/api/items', (req, res) => res.json([]));
)code",
     {},
     6,
     R"dump(scope route GET /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
    Access-Control-Expose-Headers: X-Total
  GET attacker -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
    Access-Control-Expose-Headers: X-Total
  PUT preflight -> 204 config
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
    Access-Control-Allow-Methods: GET,PUT
    Access-Control-Allow-Headers: Content-Type,Authorization
    Access-Control-Max-Age: 0
    Access-Control-Expose-Headers: X-Total
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
    Access-Control-Expose-Headers: X-Total
check fixed https://app.example.com
)dump"},
    {"MountPathCoversOnlyItsPrefix",
     "app.js",
     R"code(const express = require('express');
const cors = require('cors');
const app = express();
app.use('/api', cors());
app.get('/api/items', (req, res) => res.json([]));
app.get('/health', (req, res) => res.send('ok'));
)code",
     {},
     6,
     R"dump(scope route GET /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: *
  GET attacker -> 200 app
    Access-Control-Allow-Origin: *
  PUT preflight -> 204 config
    Access-Control-Allow-Origin: *
    Access-Control-Allow-Methods: GET,HEAD,PUT,PATCH,POST,DELETE
    Vary: Access-Control-Request-Headers
    Access-Control-Allow-Headers: content-type
  GET app failing -> 500 app
    Access-Control-Allow-Origin: *
scope route GET /health @/health
  GET app -> 200 app
  GET attacker -> 200 app
  PUT preflight -> 200 config
    Allow: GET, HEAD
  GET app failing -> 500 app
)dump"},
    {"RouteLevelCorsLeavesPreflightToExpress",
     "app.js",
     R"code(const express = require('express');
const cors = require('cors');
const app = express();
app.get('/api/items', cors(), (req, res) => res.json([]));
)code",
     {},
     6,
     R"dump(scope route GET /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: *
  GET attacker -> 200 app
    Access-Control-Allow-Origin: *
  PUT preflight -> 200 config
    Allow: GET, HEAD
  GET app failing -> 500 app
    Access-Control-Allow-Origin: *
)dump"},
    {"OptionsDelegate",
     "app.js",
     R"code(const express = require('express');
const cors = require('cors');
const app = express();
const allowlist = ['https://app.example.com'];
function corsOptionsDelegate(req, callback) {
  let corsOptions;
  if (allowlist.indexOf(req.header('Origin')) !== -1) {
    corsOptions = { origin: true };
  } else {
    corsOptions = { origin: false };
  }
  callback(null, corsOptions);
}
app.use(cors(corsOptionsDelegate));
app.get('/api/items', (req, res) => res.json([]));
)code",
     {},
     6,
     R"dump(scope route GET /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
  GET attacker -> 200 app
  PUT preflight -> 204 config
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin, Access-Control-Request-Headers
    Access-Control-Allow-Methods: GET,HEAD,PUT,PATCH,POST,DELETE
    Access-Control-Allow-Headers: content-type
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
check exact https://app.example.com
)dump"},
    {"OptionsFromAConstAndASiblingModule",
     "app.js",
     R"code(const express = require('express');
const cors = require('cors');
const app = express();
const { corsOptions } = require('./config');
const extra = { credentials: true };
app.use(cors({ ...corsOptions, ...extra }));
app.get('/api/items', (req, res) => res.json([]));
)code",
     {{"config.js",
       R"code(module.exports.corsOptions = { origin: ['https://app.example.com'] };
)code"}},
     6,
     R"dump(scope route GET /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
    Access-Control-Allow-Credentials: true
  GET attacker -> 200 app
    Vary: Origin
    Access-Control-Allow-Credentials: true
  PUT preflight -> 204 config
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin, Access-Control-Request-Headers
    Access-Control-Allow-Credentials: true
    Access-Control-Allow-Methods: GET,HEAD,PUT,PATCH,POST,DELETE
    Access-Control-Allow-Headers: content-type
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
    Access-Control-Allow-Credentials: true
check exact https://app.example.com
)dump"},
    {"ImportedDefaultFromTypeScriptModule",
     "app.ts",
     R"code(import express from 'express';
import cors from 'cors';
import options from './cors-options';
const app = express();
app.use(cors(options));
app.get('/api/items', (req, res) => res.json([]));
)code",
     {{"cors-options.ts", R"code(import type { CorsOptions } from 'cors';
const options: CorsOptions = { origin: /^https:\/\/app\.example\.com$/ };
export default options;
)code"}},
     6,
     R"dump(scope route GET /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
  GET attacker -> 200 app
    Vary: Origin
  PUT preflight -> 204 config
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin, Access-Control-Request-Headers
    Access-Control-Allow-Methods: GET,HEAD,PUT,PATCH,POST,DELETE
    Access-Control-Allow-Headers: content-type
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
check regex ^https:\/\/app\.example\.com$
)dump"},
    {"ManualMiddlewareAnswersPreflight",
     "app.js",
     R"code(const express = require('express');
const cors = require('cors');
const app = express();
app.use((req, res, next) => {
  const origin = req.headers.origin;
  if (origin === 'https://app.example.com') {
    res.header('Access-Control-Allow-Origin', origin);
    res.header('Vary', 'Origin');
  }
  if (req.method === 'OPTIONS') {
    res.header('Access-Control-Allow-Methods', 'GET,PUT');
    return res.sendStatus(204);
  }
  next();
});
app.get('/api/items', (req, res) => res.json([]));
)code",
     {},
     6,
     R"dump(scope route GET /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
  GET attacker -> 200 app
  PUT preflight -> 204 config
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
    Access-Control-Allow-Methods: GET,PUT
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
check exact https://app.example.com
)dump"},
    {"CallbackClassifiesStringTests",
     "app.js",
     R"code(const express = require('express');
const cors = require('cors');
const app = express();
app.use(cors({
  origin(origin, cb) {
    if (origin && (origin.startsWith('https://app.') || origin.endsWith('.example.org') || origin.includes('partner'))) {
      return cb(null, true);
    }
    cb(new Error('refused'));
  },
}));
app.get('/api/items', (req, res) => res.json([]));
)code",
     {},
     6,
     R"dump(scope route GET /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
  GET attacker -> 500 config
  PUT preflight -> 204 config
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin, Access-Control-Request-Headers
    Access-Control-Allow-Methods: GET,HEAD,PUT,PATCH,POST,DELETE
    Access-Control-Allow-Headers: content-type
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
check prefix https://app.
check suffix .example.org
check substring partner
)dump"},
    {"UnknownOriginIsReportedNotGuessed",
     "app.js",
     R"code(const express = require('express');
const cors = require('cors');
const app = express();
app.use(cors({ origin: process.env.CORS_ORIGIN, credentials: true }));
app.get('/api/items', (req, res) => res.json([]));
)code",
     {},
     6,
     R"dump(scope route GET /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: <unknown>
    Vary: Origin
    Access-Control-Allow-Credentials: true
  GET attacker -> 200 app
    Access-Control-Allow-Origin: <unknown>
    Vary: Origin
    Access-Control-Allow-Credentials: true
  PUT preflight -> 204 config
    Access-Control-Allow-Origin: <unknown>
    Vary: Origin, Access-Control-Request-Headers
    Access-Control-Allow-Credentials: true
    Access-Control-Allow-Methods: GET,HEAD,PUT,PATCH,POST,DELETE
    Access-Control-Allow-Headers: content-type
  GET app failing -> 500 app
    Access-Control-Allow-Origin: <unknown>
    Vary: Origin
    Access-Control-Allow-Credentials: true
check unknown process.env.CORS_ORIGIN
note 4:24 cannot evaluate the `origin` option; the origins cors allows here are unknown
)dump"},
    {"UnclassifiedCallbackIsAnUnknownCheck",
     "app.js",
     R"code(const express = require('express');
const cors = require('cors');
const app = express();
app.use(cors({
  origin: (origin, cb) => cb(null, lookup(origin)),
}));
app.get('/api/items', (req, res) => res.json([]));
)code",
     {},
     6,
     R"dump(scope route GET /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: <unknown>
    Vary: Origin
  GET attacker -> 200 app
    Access-Control-Allow-Origin: <unknown>
    Vary: Origin
  PUT preflight -> 204 config
    Access-Control-Allow-Origin: <unknown>
    Vary: Origin, Access-Control-Request-Headers
    Access-Control-Allow-Methods: GET,HEAD,PUT,PATCH,POST,DELETE
    Access-Control-Allow-Headers: content-type
  GET app failing -> 500 app
    Access-Control-Allow-Origin: <unknown>
    Vary: Origin
check unknown lookup(origin)
note 5:36 cannot classify this origin test; the origins it admits are unknown
)dump"},
    {"RouterMountedWithPrefix",
     "app.js",
     R"code(const express = require('express');
const cors = require('cors');
const app = express();
const router = express.Router();
router.use(cors({ origin: 'https://app.example.com' }));
router.get('/items', (req, res) => res.json([]));
app.use('/v1', router);
)code",
     {},
     6,
     R"dump(scope route GET /v1/items @/v1/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
  GET attacker -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
  PUT preflight -> 204 config
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin, Access-Control-Request-Headers
    Access-Control-Allow-Methods: GET,HEAD,PUT,PATCH,POST,DELETE
    Access-Control-Allow-Headers: content-type
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
check fixed https://app.example.com
)dump"},
    {"WriteHeadAndAppend",
     "app.js",
     R"code(const express = require('express');
const cors = require('cors');
const app = express();
app.use((req, res, next) => {
  res.append('Access-Control-Expose-Headers', 'X-A');
  res.append('Access-Control-Expose-Headers', 'X-B');
  if (req.method === 'OPTIONS') {
    res.writeHead(204, { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Methods': 'PUT' });
    return res.end();
  }
  next();
});
app.get('/api/items', (req, res) => res.json([]));
)code",
     {},
     6,
     R"dump(scope route GET /api/items @/api/items
  GET app -> 200 app
    Access-Control-Expose-Headers: X-A
    Access-Control-Expose-Headers: X-B
  GET attacker -> 200 app
    Access-Control-Expose-Headers: X-A
    Access-Control-Expose-Headers: X-B
  PUT preflight -> 204 config
    Access-Control-Expose-Headers: X-A
    Access-Control-Expose-Headers: X-B
    Access-Control-Allow-Origin: *
    Access-Control-Allow-Methods: PUT
  GET app failing -> 500 app
    Access-Control-Expose-Headers: X-A
    Access-Control-Expose-Headers: X-B
)dump"},
    {"TypeScriptTypesAreIgnored",
     "app.ts",
     R"code(import express, { Request, Response } from 'express';
import cors, { CorsOptions } from 'cors';
const app = express();
const options: CorsOptions = { origin: ['https://app.example.com'] as string[], credentials: true };
app.use(cors(options));
app.get('/api/items', (req: Request, res: Response): void => { res.json([]); });
)code",
     {},
     6,
     R"dump(scope route GET /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
    Access-Control-Allow-Credentials: true
  GET attacker -> 200 app
    Vary: Origin
    Access-Control-Allow-Credentials: true
  PUT preflight -> 204 config
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin, Access-Control-Request-Headers
    Access-Control-Allow-Credentials: true
    Access-Control-Allow-Methods: GET,HEAD,PUT,PATCH,POST,DELETE
    Access-Control-Allow-Headers: content-type
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
    Access-Control-Allow-Credentials: true
check exact https://app.example.com
)dump"},
    {"SomeWithRegExpList",
     "app.js",
     R"code(const express = require('express');
const cors = require('cors');
const app = express();
const patterns = [/^https:\/\/app\.example\.com$/, /^https:\/\/admin\.example\.com$/];
app.use(cors({ origin: (origin, cb) => cb(null, patterns.some((re) => re.test(origin))) }));
app.get('/api/items', (req, res) => res.json([]));
)code",
     {},
     6,
     R"dump(scope route GET /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
  GET attacker -> 200 app
  PUT preflight -> 204 config
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin, Access-Control-Request-Headers
    Access-Control-Allow-Methods: GET,HEAD,PUT,PATCH,POST,DELETE
    Access-Control-Allow-Headers: content-type
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
check regex ^https:\/\/app\.example\.com$
check regex ^https:\/\/admin\.example\.com$
)dump"},
};

class ExpressModelTest : public ::testing::TestWithParam<ParseCase> {};

TEST_P(ExpressModelTest, DumpsTheModel) {
  const ParseCase& parse_case = GetParam();
  std::unique_ptr<Document> document =
      testing::LoadCode(Format::kExpress, parse_case.file, parse_case.code,
                        parse_case.siblings, parse_case.flask_cors_line);
  EXPECT_EQ(testing::DumpCode(*document), parse_case.dump);
}

INSTANTIATE_TEST_SUITE_P(Table, ExpressModelTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<ParseCase>& info) {
                           return std::string(info.param.name);
                         });

// Code that does not parse: the first error names its line and column.
struct RejectCase {
  const char* name;
  const char* file;
  const char* code;
  int line;
  int column;
  const char* message;
};

void PrintTo(const RejectCase& reject_case, std::ostream* out) {
  *out << reject_case.name;
}

const RejectCase kRejected[] = {
    {"UnbalancedCall", "app.js",
     "const cors = require('cors');\napp.use(cors({ origin: true );\n", 2, 8,
     "syntax error: cannot read `(cors({ origin: true )` (javascript)"},
    {"UnclosedFunctionBody", "app.js",
     "const cors = require('cors');\napp.use((req, res, next) => {\n"
     "  res.header('Access-Control-Allow-Origin', '*');\n",
     2, 29,
     "syntax error: `{` is not closed before the end of the file "
     "(javascript)"},
    {"TypeAnnotationWithoutType", "app.ts",
     "import cors from 'cors';\nconst x: = 1;\napp.use(cors());\n", 2, 8,
     "syntax error: cannot read `:` (typescript)"},
};

class ExpressRejectTest : public ::testing::TestWithParam<RejectCase> {};

TEST_P(ExpressRejectTest, ReportsThePlace) {
  const RejectCase& reject_case = GetParam();
  std::unique_ptr<Document> document =
      testing::LoadCode(Format::kExpress, reject_case.file, reject_case.code);
  ASSERT_FALSE(document->errors.empty());
  const InputError& error = document->errors.front();
  EXPECT_EQ(error.where.line, reject_case.line);
  EXPECT_EQ(error.where.column, reject_case.column);
  EXPECT_EQ(error.message, reject_case.message);
}

INSTANTIATE_TEST_SUITE_P(Inputs, ExpressRejectTest,
                         ::testing::ValuesIn(kRejected),
                         [](const ::testing::TestParamInfo<RejectCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(ExpressInputTest, EnormousFileIsRefusedWithAMessage) {
  std::string text = "const cors = require('cors');\n";
  text += std::string(17u << 20, ' ');
  std::unique_ptr<Document> document =
      testing::LoadCode(Format::kExpress, "app.js", text);
  ASSERT_EQ(document->errors.size(), 1u);
  EXPECT_EQ(document->errors.front().message,
            "file is larger than the 16 MiB corslint reads as JavaScript");
}

TEST(ExpressInputTest, DeepNestingIsFollowedToALimitWithANote) {
  // 100000 nested arrays, then middleware nested 5000 `if`s deep.
  std::string text =
      "const cors = require('cors');\nconst x = " + std::string(100000, '[') +
      std::string(100000, ']') + ";\napp.use((req, res, next) => {\n";
  for (int i = 0; i < 5000; ++i) text += "if (req.method) {\n";
  text += "res.header('Access-Control-Allow-Origin', '*');\n";
  for (int i = 0; i < 5000; ++i) text += "}\n";
  text += "next();\n});\napp.get('/x', (req, res) => res.send('ok'));\n";
  std::unique_ptr<Document> document =
      testing::LoadCode(Format::kExpress, "app.js", text);
  EXPECT_TRUE(document->errors.empty());
  ASSERT_FALSE(document->notes.empty());
  EXPECT_EQ(document->notes.front().message,
            "this function is too long or too deeply nested to follow; the "
            "CORS headers set from here on are unknown");
  // What the model cannot follow stays unknown.
  ASSERT_EQ(document->scopes.size(), 1u);
  Request request = Request::Simple("https://attacker.test");
  request.path = document->scopes.front()->sample_path;
  Response response = document->scopes.front()->Respond(request);
  const ResponseHeader* origin =
      response.FindOne("Access-Control-Allow-Origin");
  ASSERT_NE(origin, nullptr);
  EXPECT_FALSE(origin->value_known);
}

TEST(ExpressInputTest, MissingModuleLeavesItsValuesUnknown) {
  std::unique_ptr<Document> document =
      testing::LoadCode(Format::kExpress, "app.js",
                        "const cors = require('cors');\n"
                        "const options = require('../../etc/cors-options');\n"
                        "app.use(cors(options));\n");
  ASSERT_EQ(document->notes.size(), 2u);
  EXPECT_EQ(document->notes[0].message,
            "cannot find the module \"../../etc/cors-options\"; its values "
            "are unknown");
  EXPECT_EQ(document->files.size(), 1u);
}

}  // namespace
}  // namespace corslint
