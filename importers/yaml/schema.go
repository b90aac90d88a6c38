package yaml

import (
	"bytes"
	_ "embed"
)

//go:embed schema/lifeboat-map.schema.json
var schema []byte

// SchemaFile is the conventional file name of the schema in a workspace.
const SchemaFile = "lifeboat-map.schema.json"

// Schema returns the JSON Schema (draft 2020-12) of native map files, for
// editors that validate YAML against one. It accepts what Parse accepts in
// the forms design.md writes; Parse is more lenient in places (a single
// contact without a list). The slice is the caller's.
func Schema() []byte { return bytes.Clone(schema) }
