package coverage

import (
	"fmt"
	"strings"
)

// pathwayNames are the seven resettlement pathways in the order NOMS
// usually numbers them. The source prints only the numbers, so the screen
// marks these names as an inference.
var pathwayNames = [...]string{
	"accommodation",
	"education, training and employment",
	"health",
	"drugs and alcohol",
	"finance, benefit and debt",
	"children and families",
	"attitudes, thinking and behaviour",
}

// pathwayKey is the matrix's column key, one sentence, with the inference
// said plainly.
func pathwayKey() string {
	parts := make([]string, len(pathwayNames))
	for i, n := range pathwayNames {
		parts[i] = fmt.Sprintf("P%d %s", i+1, n)
	}
	return strings.Join(parts, " · ") + " (names inferred from the usual NOMS numbering; the source gives only numbers)"
}
