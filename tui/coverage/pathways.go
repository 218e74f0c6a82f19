package coverage

import (
	"fmt"
	"strings"

	"charter/model"
)

// pathwayKey is the matrix's column key, one sentence, with the inference
// said plainly. The names are the model's (model.PathwayName), the same
// the dossier shows.
func pathwayKey() string {
	parts := make([]string, model.NumPathways)
	for i := range parts {
		parts[i] = fmt.Sprintf("P%d %s", i+1, strings.ToLower(model.PathwayName(i+1)))
	}
	return strings.Join(parts, " · ") + " (names inferred from the usual NOMS numbering; the source gives only numbers)"
}
