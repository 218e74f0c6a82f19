// Package audit is tab 2: the audit returns read against their
// benchmarks, with the reviewers' ratings, comments and good-practice
// flags. A small router (Screen) shows one pane at a time — the question
// list, the return reader (next and previous return and question, the
// benchmark cut, whole or hidden), the filtered results and the
// good-practice list (reading queues: the selected return's answer,
// comment and benchmark beside or below the list, rated in place), the
// regional comments, a return's history (restore a version), and the
// dossier of one establishment or area — with the filter bar and the
// comment editor (a text area; the reviewer's $EDITOR where the service
// names one) above or below it. The annotator sends the reviewer's edits
// one at a time per return; undo writes back what the session's last
// change replaced. Other tabs open a return or a dossier here through
// common.OpenReturnMsg and common.OpenDossierMsg. It imports common and
// auditdata, never another screen.
package audit
