package model

import (
	"fmt"
	"sort"
	"strings"
	"time"
)

// OverdueSection is the report's list of records overdue for review under
// a review period of period months (0: the default) on the calendar day
// of today: every record past its due date (withdrawn ones are out of the
// cycle), most overdue first, with its due date, its last review ("never"
// when it has had none, the period then running from signing) and how many
// days overdue it is (DaysOverdue). Data text is escaped for Markdown.
func OverdueSection(sigs []Signatory, period ReviewPeriod, today time.Time) string {
	type row struct {
		s    *Signatory
		days int
	}
	var rows []row
	for i := range sigs {
		s := &sigs[i]
		if DueStateOf(s, period, today) == DueOverdue {
			rows = append(rows, row{s, DaysOverdue(s, period, today)})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].days != rows[j].days {
			return rows[i].days > rows[j].days
		}
		return strings.ToLower(rows[i].s.Organisation) < strings.ToLower(rows[j].s.Organisation)
	})
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	w("\n### Overdue for review (%d)\n\n", len(rows))
	months := int(period.orDefault())
	w("A record falls due %d %s after its last review, or after signing if never reviewed.\n\n",
		months, plural(months, "month", "months"))
	w("| Organisation | Area | Status | Last reviewed | Due | Overdue (days) |\n|---|---|---|---|---|--:|\n")
	for _, r := range rows {
		last := "never"
		if !r.s.LastReviewedOn.IsZero() {
			last = r.s.Field(FieldLastReviewedOn)
			if r.s.LastReviewedBy != "" {
				last += " by " + cell(r.s.LastReviewedBy)
			}
		}
		due := dateText(ReviewDue(r.s, period))
		if due == "" {
			due = "(no date)"
		}
		w("| %s | %s | %s | %s | %s | %d |\n", cell(r.s.Organisation), cell(r.s.LocalArea), r.s.ReviewStatus, last, due, r.days)
	}
	if len(rows) == 0 {
		w("| (none) | | | | | |\n")
	}
	return b.String()
}
