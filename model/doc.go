// Package model holds charter's domain: the Second Chances Charter's
// commitments and tiers, signatories and their validation, the Reducing
// Re-offending Alliances audit (questions, returns, reviewer annotations,
// regional comments, the pathway matrix), the filter query, the CSV codecs,
// and the service interfaces that the store implements and the screens call.
//
// It uses the standard library only and imports nothing else of charter's,
// so every rule here can be tested without a database or a terminal.
package model
