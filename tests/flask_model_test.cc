// The Flask reader: inputs and the compact dump of the model they give.
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
    {"DefaultsReflectAnyOrigin",
     "app.py",
     R"code(from flask import Flask, jsonify, request
from flask_cors import CORS, cross_origin

app = Flask(__name__)
CORS(app)

@app.route('/api/items')
def items():
    return jsonify([])
)code",
     {},
     6,
     R"dump(scope route /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
  GET attacker -> 200 app
    Access-Control-Allow-Origin: https://attacker.test
    Vary: Origin
  PUT preflight -> 200 config
    Allow: GET, HEAD, OPTIONS
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Allow-Headers: content-type
    Access-Control-Allow-Methods: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT
    Vary: Origin
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
check any * (i)
)dump"},
    {"SupportsCredentialsWithDefaultOrigins",
     "app.py",
     R"code(from flask import Flask, jsonify, request
from flask_cors import CORS, cross_origin

app = Flask(__name__)
CORS(app, supports_credentials=True)

@app.route('/api/items')
def items():
    return jsonify([])
)code",
     {},
     6,
     R"dump(scope route /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Allow-Credentials: true
    Vary: Origin
  GET attacker -> 200 app
    Access-Control-Allow-Origin: https://attacker.test
    Access-Control-Allow-Credentials: true
    Vary: Origin
  PUT preflight -> 200 config
    Allow: GET, HEAD, OPTIONS
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Allow-Credentials: true
    Access-Control-Allow-Headers: content-type
    Access-Control-Allow-Methods: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT
    Vary: Origin
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Allow-Credentials: true
    Vary: Origin
check any * (i)
)dump"},
    {"SendWildcard",
     "app.py",
     R"code(from flask import Flask, jsonify, request
from flask_cors import CORS, cross_origin

app = Flask(__name__)
CORS(app, send_wildcard=True)

@app.route('/api/items')
def items():
    return jsonify([])
)code",
     {},
     6,
     R"dump(scope route /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: *
  GET attacker -> 200 app
    Access-Control-Allow-Origin: *
  PUT preflight -> 200 config
    Allow: GET, HEAD, OPTIONS
    Access-Control-Allow-Origin: *
    Access-Control-Allow-Headers: content-type
    Access-Control-Allow-Methods: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT
  GET app failing -> 500 app
    Access-Control-Allow-Origin: *
check any * (i)
)dump"},
    {"SingleLiteralOriginGetsNoVary",
     "app.py",
     R"code(from flask import Flask, jsonify, request
from flask_cors import CORS, cross_origin

app = Flask(__name__)
CORS(app, origins='https://app.example.com')

@app.route('/api/items')
def items():
    return jsonify([])
)code",
     {},
     6,
     R"dump(scope route /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
  GET attacker -> 200 app
  PUT preflight -> 200 config
    Allow: GET, HEAD, OPTIONS
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Allow-Headers: content-type
    Access-Control-Allow-Methods: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
check exact https://app.example.com (i)
)dump"},
    {"RegexOriginsAreStartAnchoredAndCaseInsensitive",
     "app.py",
     R"code(from flask import Flask, jsonify, request
from flask_cors import CORS, cross_origin

app = Flask(__name__)
CORS(app, origins=[r'https://.*\.example\.com', 'https://Exact.example.org'])

@app.route('/api/items')
def items():
    return jsonify([])
)code",
     {},
     6,
     R"dump(scope route /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
  GET attacker -> 200 app
  PUT preflight -> 200 config
    Allow: GET, HEAD, OPTIONS
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Allow-Headers: content-type
    Access-Control-Allow-Methods: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT
    Vary: Origin
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
check regex https://.*\.example\.com (i)
check exact https://Exact.example.org (i)
)dump"},
    {"ResourcesDictPicksTheFirstMatchingPattern",
     "app.py",
     R"code(from flask import Flask, jsonify, request
from flask_cors import CORS, cross_origin

app = Flask(__name__)
CORS(app, resources={r'/api/*': {'origins': 'https://app.example.com'}, r'/public/*': {'origins': '*'}})

@app.route('/api/items')
def items():
    return jsonify([])

@app.route('/public/info')
def info():
    return 'ok'
)code",
     {},
     6,
     R"dump(scope route /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
  GET attacker -> 200 app
  PUT preflight -> 200 config
    Allow: GET, HEAD, OPTIONS
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Allow-Headers: content-type
    Access-Control-Allow-Methods: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
scope route /public/info @/public/info
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
  GET attacker -> 200 app
    Access-Control-Allow-Origin: https://attacker.test
    Vary: Origin
  PUT preflight -> 200 config
    Allow: GET, HEAD, OPTIONS
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Allow-Headers: content-type
    Access-Control-Allow-Methods: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT
    Vary: Origin
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
check any * (i)
check exact https://app.example.com (i)
check any * (i)
)dump"},
    {"HeaderOptions",
     "app.py",
     R"code(from flask import Flask, jsonify, request
from flask_cors import CORS, cross_origin

app = Flask(__name__)
from datetime import timedelta
CORS(app, origins=['https://app.example.com'], methods=['put', 'GET'], allow_headers=['Content-Type'], expose_headers=['X-B', 'X-A'], max_age=timedelta(minutes=10))

@app.route('/api/items')
def items():
    return jsonify([])
)code",
     {},
     6,
     R"dump(scope route /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Expose-Headers: X-A, X-B
  GET attacker -> 200 app
  PUT preflight -> 200 config
    Allow: GET, HEAD, OPTIONS
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Expose-Headers: X-A, X-B
    Access-Control-Allow-Headers: content-type
    Access-Control-Max-Age: 600
    Access-Control-Allow-Methods: GET, PUT
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Expose-Headers: X-A, X-B
check exact https://app.example.com (i)
)dump"},
    {"ConfigAndInitApp",
     "app.py",
     R"code(from flask import Flask, jsonify, request
from flask_cors import CORS, cross_origin

app = Flask(__name__)
app.config['CORS_ORIGINS'] = ['https://app.example.com']
cors = CORS(supports_credentials=True)
cors.init_app(app, max_age=600)

@app.route('/api/items')
def items():
    return jsonify([])
)code",
     {},
     6,
     R"dump(scope route /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Allow-Credentials: true
  GET attacker -> 200 app
  PUT preflight -> 200 config
    Allow: GET, HEAD, OPTIONS
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Allow-Credentials: true
    Access-Control-Allow-Headers: content-type
    Access-Control-Max-Age: 600
    Access-Control-Allow-Methods: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Allow-Credentials: true
check exact https://app.example.com (i)
)dump"},
    {"CrossOriginDecoratorAnswersOptions",
     "app.py",
     R"code(from flask import Flask, jsonify, request
from flask_cors import CORS, cross_origin

app = Flask(__name__)

@app.route('/api/items', methods=['GET', 'PUT'])
@cross_origin(origins=['https://app.example.com'])
def items():
    return jsonify([])
)code",
     {},
     6,
     R"dump(scope route /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
  GET attacker -> 200 app
  PUT preflight -> 200 config
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Allow-Headers: content-type
    Access-Control-Allow-Methods: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT
  GET app failing -> 500 app
check exact https://app.example.com (i)
)dump"},
    {"AfterRequestHookRunsOnErrors",
     "app.py",
     R"code(from flask import Flask, jsonify, request
from flask_cors import CORS, cross_origin

app = Flask(__name__)

@app.route('/api/items')
def items():
    return jsonify([])

ALLOWED = ['https://app.example.com']


@app.after_request
def add_cors(response):
    origin = request.headers.get('Origin')
    if origin in ALLOWED:
        response.headers['Access-Control-Allow-Origin'] = origin
        response.headers.add('Vary', 'Origin')
    return response
)code",
     {},
     6,
     R"dump(scope route /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
  GET attacker -> 200 app
  PUT preflight -> 200 config
    Allow: GET, HEAD, OPTIONS
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
check exact https://app.example.com
)dump"},
    {"ViewHeadersReachOnlySuccess",
     "app.py",
     R"code(from flask import Flask, jsonify, request
from flask_cors import CORS, cross_origin

app = Flask(__name__)

@app.route('/api/items')
def items():
    resp = jsonify([])
    resp.headers['Access-Control-Allow-Origin'] = 'https://app.example.com'
    return resp
)code",
     {},
     6,
     R"dump(scope route /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
  GET attacker -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
  PUT preflight -> 200 config
    Allow: GET, HEAD, OPTIONS
  GET app failing -> 500 app
check fixed https://app.example.com
)dump"},
    {"OriginsFromASiblingModule",
     "app.py",
     R"code(from flask import Flask, jsonify, request
from flask_cors import CORS, cross_origin

app = Flask(__name__)
from settings import ORIGINS
CORS(app, origins=ORIGINS)

@app.route('/api/items')
def items():
    return jsonify([])
)code",
     {{"settings.py",
       R"code(ORIGINS = ['https://app.example.com', 'https://admin.example.com']
)code"}},
     6,
     R"dump(scope route /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
  GET attacker -> 200 app
  PUT preflight -> 200 config
    Allow: GET, HEAD, OPTIONS
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Allow-Headers: content-type
    Access-Control-Allow-Methods: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT
    Vary: Origin
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
check exact https://app.example.com (i)
check exact https://admin.example.com (i)
)dump"},
    {"UnknownOriginsAreReportedNotGuessed",
     "app.py",
     R"code(import os
from flask import Flask, jsonify, request
from flask_cors import CORS, cross_origin

app = Flask(__name__)
CORS(app, origins=os.environ['CORS_ORIGINS'].split(','))

@app.route('/api/items')
def items():
    return jsonify([])
)code",
     {},
     6,
     R"dump(scope route /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: <unknown>
  GET attacker -> 200 app
    Access-Control-Allow-Origin: <unknown>
  PUT preflight -> 200 config
    Allow: GET, HEAD, OPTIONS
    Access-Control-Allow-Origin: <unknown>
    Access-Control-Allow-Headers: content-type
    Access-Control-Allow-Methods: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT
  GET app failing -> 500 app
    Access-Control-Allow-Origin: <unknown>
check unknown os.environ['CORS_ORIGINS'].split(',')
note 6:19 cannot evaluate this origin; what flask-cors allows here is unknown
)dump"},
    {"TypoedOptionIsIgnored",
     "app.py",
     R"code(from flask import Flask, jsonify, request
from flask_cors import CORS, cross_origin

app = Flask(__name__)
CORS(app, origin='https://app.example.com')

@app.route('/api/items')
def items():
    return jsonify([])
)code",
     {},
     6,
     R"dump(scope route /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
  GET attacker -> 200 app
    Access-Control-Allow-Origin: https://attacker.test
    Vary: Origin
  PUT preflight -> 200 config
    Allow: GET, HEAD, OPTIONS
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Allow-Headers: content-type
    Access-Control-Allow-Methods: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT
    Vary: Origin
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
check any * (i)
note 5:18 flask-cors ignores the unknown option "origin"; did you mean "origins"?
)dump"},
    {"PrivateNetworkOptionIsUnknownToLine3",
     "app.py",
     R"code(from flask import Flask, jsonify, request
from flask_cors import CORS, cross_origin

app = Flask(__name__)
CORS(app, origins='https://app.example.com', allow_private_network=True)

@app.route('/api/items')
def items():
    return jsonify([])
)code",
     {},
     3,
     R"dump(scope route /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
  GET attacker -> 200 app
  PUT preflight -> 200 config
    Allow: GET, HEAD, OPTIONS
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Allow-Headers: content-type
    Access-Control-Allow-Methods: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
check exact https://app.example.com (i)
note 5:68 flask-cors ignores the unknown option "allow_private_network"
)dump"},
    {"BlueprintPrefixAndHook",
     "app.py",
     R"code(from flask import Flask, jsonify, request
from flask_cors import CORS, cross_origin

app = Flask(__name__)
from flask import Blueprint
bp = Blueprint('api', __name__, url_prefix='/v1')

@bp.route('/items')
def items():
    return jsonify([])

@bp.after_request
def cors_headers(response):
    response.headers['Access-Control-Allow-Origin'] = '*'
    return response

app.register_blueprint(bp)
)code",
     {},
     6,
     R"dump(scope route /v1/items @/v1/items
  GET app -> 200 app
    Access-Control-Allow-Origin: *
  GET attacker -> 200 app
    Access-Control-Allow-Origin: *
  PUT preflight -> 200 config
    Allow: GET, HEAD, OPTIONS
  GET app failing -> 500 app
    Access-Control-Allow-Origin: *
)dump"},
    {"ReMatchInHookIsStartAnchored",
     "app.py",
     R"code(from flask import Flask, jsonify, request
from flask_cors import CORS, cross_origin

app = Flask(__name__)
import re

@app.route('/api/items')
def items():
    return jsonify([])

@app.after_request
def add_cors(response):
    origin = request.headers.get('Origin', '')
    if re.match(r'https://[a-z]+\.example\.com', origin):
        response.headers['Access-Control-Allow-Origin'] = origin
    return response
)code",
     {},
     6,
     R"dump(scope route /api/items @/api/items
  GET app -> 200 app
    Access-Control-Allow-Origin: https://app.example.com
  GET attacker -> 200 app
  PUT preflight -> 200 config
    Allow: GET, HEAD, OPTIONS
    Access-Control-Allow-Origin: https://app.example.com
  GET app failing -> 500 app
    Access-Control-Allow-Origin: https://app.example.com
check regex https://[a-z]+\.example\.com
)dump"},
    {"VarySetAndRaisedErrorsRunHooksBeforeTheInterceptedHandler",
     "app.py",
     R"code(from flask import Flask, jsonify
from flask_cors import CORS

app = Flask(__name__)
CORS(app, origins=["https://app.example.com", "https://admin.example.com"])

@app.after_request
def vary_on_origin(response):
    response.vary.add("Origin")
    return response

@app.route('/api/items')
def items():
    return jsonify([])
)code",
     {},
     3,
     R"dump(scope route /api/items @/api/items
  GET app -> 200 app
    Vary: Origin
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
  GET attacker -> 200 app
    Vary: Origin
  PUT preflight -> 200 config
    Allow: GET, HEAD, OPTIONS
    Vary: Origin
    Access-Control-Allow-Origin: https://app.example.com
    Access-Control-Allow-Headers: content-type
    Access-Control-Allow-Methods: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT
    Vary: Origin
  GET app failing -> 500 app
    Vary: Origin
    Access-Control-Allow-Origin: https://app.example.com
    Vary: Origin
check exact https://app.example.com (i)
check exact https://admin.example.com (i)
)dump"},
};

class FlaskModelTest : public ::testing::TestWithParam<ParseCase> {};

TEST_P(FlaskModelTest, DumpsTheModel) {
  const ParseCase& parse_case = GetParam();
  std::unique_ptr<Document> document =
      testing::LoadCode(Format::kFlask, parse_case.file, parse_case.code,
                        parse_case.siblings, parse_case.flask_cors_line);
  EXPECT_EQ(testing::DumpCode(*document), parse_case.dump);
}

INSTANTIATE_TEST_SUITE_P(Table, FlaskModelTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<ParseCase>& info) {
                           return std::string(info.param.name);
                         });

struct RejectCase {
  const char* name;
  const char* code;
  int line;
  int column;
  const char* message;
};

void PrintTo(const RejectCase& reject_case, std::ostream* out) {
  *out << reject_case.name;
}

const RejectCase kRejected[] = {
    {"UnclosedList",
     "from flask_cors import CORS\nCORS(app, "
     "origins=['https://a.example.com'\n",
     2, 19,
     "syntax error: `[` is not closed before the end of the file (python)"},
    {"DefinitionWithoutColon",
     "from flask_cors import CORS\n\n@app.after_request\ndef f(resp)\n"
     "    return resp\n",
     3, 1, "syntax error: cannot read `@app.after_request` (python)"},
};

class FlaskRejectTest : public ::testing::TestWithParam<RejectCase> {};

TEST_P(FlaskRejectTest, ReportsThePlace) {
  const RejectCase& reject_case = GetParam();
  std::unique_ptr<Document> document =
      testing::LoadCode(Format::kFlask, "app.py", reject_case.code);
  ASSERT_FALSE(document->errors.empty());
  const InputError& error = document->errors.front();
  EXPECT_EQ(error.where.line, reject_case.line);
  EXPECT_EQ(error.where.column, reject_case.column);
  EXPECT_EQ(error.message, reject_case.message);
}

INSTANTIATE_TEST_SUITE_P(Inputs, FlaskRejectTest,
                         ::testing::ValuesIn(kRejected),
                         [](const ::testing::TestParamInfo<RejectCase>& info) {
                           return std::string(info.param.name);
                         });

TEST(FlaskInputTest, EnormousFileIsRefusedWithAMessage) {
  std::string text = "from flask_cors import CORS\n";
  text += std::string(17u << 20, '#');
  std::unique_ptr<Document> document =
      testing::LoadCode(Format::kFlask, "app.py", text);
  ASSERT_EQ(document->errors.size(), 1u);
  EXPECT_EQ(document->errors.front().message,
            "file is larger than the 16 MiB corslint reads as Python");
}

TEST(FlaskInputTest, DeepNestingNeitherCrashesNorHangs) {
  std::string text =
      "from flask_cors import CORS\nx = " + std::string(100000, '[') +
      std::string(100000, ']') +
      "\nCORS(app, origins=" + std::string(50000, '(') +
      "'https://app.example.com'" + std::string(50000, ')') + ")\n";
  std::unique_ptr<Document> document =
      testing::LoadCode(Format::kFlask, "app.py", text);
  EXPECT_TRUE(document->errors.empty());
  ASSERT_EQ(document->origin_checks.size(), 1u);
  EXPECT_EQ(document->origin_checks.front().pattern, "https://app.example.com");
}

TEST(FlaskInputTest, StartupErrorOfFlaskCorsIsAnInputError) {
  std::unique_ptr<Document> document = testing::LoadCode(
      Format::kFlask, "app.py",
      "from flask_cors import CORS\n"
      "CORS(app, send_wildcard=True, supports_credentials=True)\n");
  ASSERT_EQ(document->errors.size(), 1u);
  EXPECT_EQ(document->errors.front().where.line, 2);
  EXPECT_EQ(document->errors.front().message,
            "flask-cors raises ValueError at startup: `supports_credentials` "
            "with the origin `*` and `send_wildcard`");
}

TEST(FlaskInputTest, ReleaseLinesDifferInPrivateNetworkAccess) {
  const char* code =
      "from flask_cors import CORS\n"
      "CORS(app, origins='https://app.example.com')\n"
      "@app.route('/x')\ndef x():\n    return 'ok'\n";
  Request request = Request::Preflight("https://app.example.com", "GET");
  request.headers.emplace_back("Access-Control-Request-Private-Network",
                               "true");
  request.path = "/x";
  for (int line : {3, 6}) {
    std::unique_ptr<Document> document =
        testing::LoadCode(Format::kFlask, "app.py", code, {}, line);
    ASSERT_EQ(document->scopes.size(), 1u);
    Response response = document->scopes.front()->Respond(request);
    const ResponseHeader* header =
        response.FindOne("Access-Control-Allow-Private-Network");
    if (line == 3) {
      EXPECT_EQ(header, nullptr);
    } else {
      ASSERT_NE(header, nullptr);
      EXPECT_EQ(header->value, "false");
    }
  }
}

}  // namespace
}  // namespace corslint
