// Package audit is tab 2: the audit returns read against their
// benchmarks, with the reviewers' ratings, comments and good-practice
// flags. A small router (Screen) shows one pane at a time — the question
// list, the return reader, the filtered results, the good-practice list,
// the regional comments, a return's history — with the filter bar and the
// comment editor above or below it; the annotator sends the reviewer's
// edits one at a time per return. It imports common and auditdata, never
// another screen.
package audit
