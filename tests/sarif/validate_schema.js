// Validates SARIF logs against the SARIF 2.1.0 JSON schema that Microsoft's
// SARIF Multitool package ships, with Ajv, every format checked. (Ajv's
// strict mode stays off: it lints the schema itself, which names required
// properties inside `anyOf` branches.) Usage: node validate_schema.js
// FILE...; exit 0 when all are valid, 1 after printing each violation.
"use strict";

const fs = require("fs");
const path = require("path");
const Ajv2020 = require("ajv/dist/2020");
const addFormats = require("ajv-formats");

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("validate_schema: error: name the SARIF files to validate");
  process.exit(1);
}

const schemaPath = path.join(__dirname, "..", "node_modules", "@microsoft",
                             "sarif-multitool-linux", "sarif-2.1.0.json");
const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
const ajv = new Ajv2020({allErrors: true, strict: false});
addFormats(ajv);
const validate = ajv.compile(schema);

let failed = false;
for (const file of files) {
  const log = JSON.parse(fs.readFileSync(file, "utf8"));
  if (validate(log)) continue;
  failed = true;
  for (const error of validate.errors) {
    console.log(`${file}: ${error.instancePath || "/"}: ${error.message}` +
                ` ${JSON.stringify(error.params)}`);
  }
}
process.exit(failed ? 1 : 0);
