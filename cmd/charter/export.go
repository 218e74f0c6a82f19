package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"charter/model"
)

func runExport(e *env, g *globals, args []string) int {
	fs := subFlags(e, g, "export", "export signatories|returns [--format csv|json] [--out FILE] [--spreadsheet]")
	format := fs.String("format", "csv", "output `format`: csv or json")
	out := fs.String("out", "", "write to `FILE` instead of standard output")
	sheet := fs.Bool("spreadsheet", false, "defuse cells a spreadsheet would run as formulas (=, +, -, @)")
	if code, done := parseSub(fs, e, args); done {
		return code
	}
	if fs.NArg() != 1 || (fs.Arg(0) != "signatories" && fs.Arg(0) != "returns") {
		return usageError(e, "export needs what to export: signatories or returns")
	}
	if *format != "csv" && *format != "json" {
		return usageError(e, "export: --format must be csv or json, not %q", *format)
	}
	db, err := g.openForReading()
	if err != nil {
		return fail(e, err)
	}
	defer db.Close()

	var buf bytes.Buffer
	switch fs.Arg(0) {
	case "signatories":
		rows, err := db.Signatories()
		if err != nil {
			return fail(e, err)
		}
		if *format == "csv" {
			err = model.WriteSignatoriesCSV(&buf, rows, *sheet)
		} else {
			err = writeJSON(&buf, model.SignatoriesJSON(rows))
		}
		if err != nil {
			return fail(e, err)
		}
	case "returns":
		a, err := db.Audit()
		if err != nil {
			return fail(e, err)
		}
		if *format == "csv" {
			err = model.WriteReturnsCSV(&buf, a, *sheet)
		} else {
			err = writeJSON(&buf, model.ReturnsJSON(a))
		}
		if err != nil {
			return fail(e, err)
		}
	}
	if err := writeOutput(e, *out, buf.Bytes()); err != nil {
		return fail(e, err)
	}
	return exitOK
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// writeOutput writes to standard output, or to a file through a temporary
// file and a rename, so a reader never sees half a file.
func writeOutput(e *env, path string, data []byte) error {
	if path == "" || path == "-" {
		_, err := e.stdout.Write(data)
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
