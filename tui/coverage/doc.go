// Package coverage is tab 3: who answered what. Its grid shows one section's
// respondents against its questions (answered, not answered, no return, or
// the reviewers' rating) with totals and the respondents that sent nothing;
// its pathway matrix shows the source's prisons × resettlement pathways
// table. It reads the audit the audit screen loads (auditdata.LoadedMsg,
// which the root hands every screen) and never reads the store itself.
// enter on a cell asks the audit tab to open that return; enter on a
// respondent's name (left of the first question), or D anywhere on its
// row, asks for its dossier.
//
// It imports tui/common and tui/auditdata, never another screen.
package coverage
