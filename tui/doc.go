// Package tui is charter's terminal interface: the root app model, one
// component per screen (signatories, signatory form, audit, coverage), their
// key maps and help, the styles, and the glue that serves the same screens
// to SSH sessions. It reads and writes only through the model's service
// interfaces; it never imports the store.
package tui
