package model

import (
	"strconv"
	"strings"
	"time"
)

// Sector is the kind of organisation signing up.
type Sector string

const (
	SectorPrivate          Sector = "private"
	SectorPublic           Sector = "public"
	SectorVoluntary        Sector = "voluntary"
	SectorSocialEnterprise Sector = "social_enterprise"
)

// Sectors lists the sectors in the order forms offer them.
func Sectors() []Sector {
	return []Sector{SectorPrivate, SectorPublic, SectorVoluntary, SectorSocialEnterprise}
}

// ReviewStatus is where a sign-up stands with the group's reviewers.
type ReviewStatus string

const (
	StatusPending   ReviewStatus = "pending"
	StatusVerified  ReviewStatus = "verified"
	StatusNeedsInfo ReviewStatus = "needs_info"
	// StatusWithdrawn marks a signatory that has left the charter or was
	// signed by mistake. It is reached only through Withdraw, which records
	// the reason and date, and left only through Restore.
	StatusWithdrawn ReviewStatus = "withdrawn"
)

// ReviewStatuses lists the statuses a reviewer sets, in review order. It
// leaves out withdrawn, which needs a reason (see Withdraw).
func ReviewStatuses() []ReviewStatus {
	return []ReviewStatus{StatusPending, StatusVerified, StatusNeedsInfo}
}

// AllReviewStatuses lists every status a record can have, withdrawn last.
func AllReviewStatuses() []ReviewStatus {
	return []ReviewStatus{StatusPending, StatusVerified, StatusNeedsInfo, StatusWithdrawn}
}

// LocalAreas are the seven West Midlands local authority areas the charter
// covers. The field is free text; forms offer these first.
func LocalAreas() []string {
	return []string{"Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton"}
}

// DateLayout is the interchange form of a date.
const DateLayout = "2006-01-02"

// Signatory is one organisation's sign-up to the charter: the fields of the
// interchange CSV plus what the store keeps about the record itself.
type Signatory struct {
	ID           uint64 `json:"id"`
	Organisation string `json:"organisation"`
	ContactName  string `json:"contact_name"`
	Email        string `json:"email"`
	Sector       Sector `json:"sector"`
	Region       string `json:"region"`
	LocalArea    string `json:"local_area"`
	// Employees is nil when the sign-up did not say.
	Employees        *int          `json:"employees"`
	SignedBy         string        `json:"signed_by"`
	SignedOn         time.Time     `json:"signed_on"`
	Commitments      CommitmentSet `json:"commitments"`
	VacancyStatement bool          `json:"vacancy_statement"`
	ReviewStatus     ReviewStatus  `json:"review_status"`
	Notes            string        `json:"notes"`

	// The fields below came after the first stored records; their zero
	// values mean "as before" and are left out of the stored JSON.

	// LastReviewedOn and LastReviewedBy record the last review: the day a
	// reviewer set the status to verified or needs_info (see Reviewed).
	// A record never reviewed has a zero date.
	LastReviewedOn time.Time `json:"last_reviewed_on,omitzero"`
	LastReviewedBy string    `json:"last_reviewed_by,omitempty"`
	// Evidence lists the commitments a reviewer has seen in practice, in
	// the charter's order, one entry per commitment. Only declared
	// commitments count towards the evidenced tier. The slice is never
	// changed in place (SetEvidence and ClearEvidence build a new one), so
	// copies of a Signatory may share it.
	Evidence []CommitmentEvidence `json:"evidence,omitempty"`
	// VacancyEvidence is where and when the vacancy statement was seen; a
	// zero value means it is only declared.
	VacancyEvidence Evidence `json:"vacancy_evidence,omitzero"`
	// Withdrawal is set while ReviewStatus is withdrawn.
	Withdrawal Withdrawal `json:"withdrawal,omitzero"`

	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
	// Version starts at 1 and goes up by one on every saved change; a save
	// that names an older version is refused with ErrConflict.
	Version uint64 `json:"version"`
}

// Tier is the tier the signatory's declared commitments earn (the same as
// DeclaredTier).
func (s *Signatory) Tier() Tier { return s.Commitments.Tier() }

// DeclaredTier is the tier the commitments declared on the sign-up earn.
func (s *Signatory) DeclaredTier() Tier { return s.Commitments.Tier() }

// Withdrawn reports whether the signatory has been withdrawn.
func (s *Signatory) Withdrawn() bool { return s.ReviewStatus == StatusWithdrawn }

// Field names, in interchange-CSV order. They name fields in validation
// errors, history entries and filters alike.
const (
	FieldOrganisation     = "organisation"
	FieldContactName      = "contact_name"
	FieldEmail            = "email"
	FieldSector           = "sector"
	FieldRegion           = "region"
	FieldLocalArea        = "local_area"
	FieldEmployees        = "employees"
	FieldSignedBy         = "signed_by"
	FieldSignedOn         = "signed_on"
	FieldCommitments      = "commitments"
	FieldVacancyStatement = "vacancy_statement"
	FieldReviewStatus     = "review_status"
	FieldNotes            = "notes"

	// Fields kept with the record but not in the interchange CSV. They
	// appear in history and validation errors.
	FieldLastReviewedOn  = "last_reviewed_on"
	FieldLastReviewedBy  = "last_reviewed_by"
	FieldEvidence        = "evidence"
	FieldVacancyEvidence = "vacancy_evidence"
	FieldWithdrawnOn     = "withdrawn_on"
	FieldWithdrawnReason = "withdrawn_reason"

	// Derived fields, for exports: Field gives them, history does not
	// keep them (they follow from the fields above).
	FieldTier                 = "tier"
	FieldEvidencedTier        = "evidenced_tier"
	FieldEvidencedCommitments = "evidenced_commitments"
)

// SignatoryFields lists the interchange columns in their canonical order.
func SignatoryFields() []string {
	return []string{FieldOrganisation, FieldContactName, FieldEmail, FieldSector, FieldRegion,
		FieldLocalArea, FieldEmployees, FieldSignedBy, FieldSignedOn, FieldCommitments,
		FieldVacancyStatement, FieldReviewStatus, FieldNotes}
}

// RecordFields lists every field history records: the interchange columns,
// then the review, evidence and withdrawal fields. A record stored before
// these existed has them all empty, so its history reads as before.
func RecordFields() []string {
	return append(SignatoryFields(), FieldLastReviewedOn, FieldLastReviewedBy,
		FieldEvidence, FieldVacancyEvidence, FieldWithdrawnOn, FieldWithdrawnReason)
}

// Field returns a field's value in its interchange form, so that history,
// exports and filters all speak the same text.
func (s *Signatory) Field(name string) string {
	switch name {
	case FieldOrganisation:
		return s.Organisation
	case FieldContactName:
		return s.ContactName
	case FieldEmail:
		return s.Email
	case FieldSector:
		return string(s.Sector)
	case FieldRegion:
		return s.Region
	case FieldLocalArea:
		return s.LocalArea
	case FieldEmployees:
		if s.Employees == nil {
			return ""
		}
		return strconv.Itoa(*s.Employees)
	case FieldSignedBy:
		return s.SignedBy
	case FieldSignedOn:
		if s.SignedOn.IsZero() {
			return ""
		}
		return s.SignedOn.Format(DateLayout)
	case FieldCommitments:
		return s.Commitments.String()
	case FieldVacancyStatement:
		return YesNo(s.VacancyStatement)
	case FieldReviewStatus:
		return string(s.ReviewStatus)
	case FieldNotes:
		return s.Notes
	case FieldLastReviewedOn:
		return dateText(s.LastReviewedOn)
	case FieldLastReviewedBy:
		return s.LastReviewedBy
	case FieldEvidence:
		return evidenceText(s.Evidence)
	case FieldVacancyEvidence:
		if s.VacancyEvidence.IsZero() {
			return ""
		}
		return s.VacancyEvidence.String()
	case FieldWithdrawnOn:
		return dateText(s.Withdrawal.On)
	case FieldWithdrawnReason:
		return s.Withdrawal.Reason
	case FieldTier:
		return s.Tier().String()
	case FieldEvidencedTier:
		return s.EvidencedTier().String()
	case FieldEvidencedCommitments:
		return s.EvidencedSet().String()
	}
	return ""
}

func dateText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(DateLayout)
}

// dateOf is t's calendar day at midnight UTC, the form every date field
// is kept in.
func dateOf(t time.Time) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// YesNo is the interchange form of a flag.
func YesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// Normalise trims surrounding space from the text fields and fills the
// defaults the interchange format promises (empty review status = pending).
// Validate expects a normalised record.
func (s *Signatory) Normalise() {
	for _, p := range []*string{&s.Organisation, &s.ContactName, &s.Email, &s.Region, &s.LocalArea, &s.SignedBy, &s.Notes} {
		*p = strings.TrimSpace(*p)
	}
	s.Sector = Sector(strings.ToLower(strings.TrimSpace(string(s.Sector))))
	s.ReviewStatus = ReviewStatus(strings.ToLower(strings.TrimSpace(string(s.ReviewStatus))))
	if s.ReviewStatus == "" {
		s.ReviewStatus = StatusPending
	}
	s.SignedOn = dateOf(s.SignedOn)
	s.LastReviewedOn = dateOf(s.LastReviewedOn)
	s.LastReviewedBy = strings.TrimSpace(s.LastReviewedBy)
	if len(s.Evidence) > 0 {
		ev := make([]CommitmentEvidence, len(s.Evidence))
		for i, e := range s.Evidence {
			e.Evidence = e.Evidence.normalised()
			ev[i] = e
		}
		sortEvidence(ev)
		s.Evidence = ev
	}
	if !s.VacancyEvidence.IsZero() {
		s.VacancyEvidence = s.VacancyEvidence.normalised()
	}
	if !s.Withdrawal.IsZero() {
		s.Withdrawal.Reason = strings.TrimSpace(s.Withdrawal.Reason)
		s.Withdrawal.By = strings.TrimSpace(s.Withdrawal.By)
		s.Withdrawal.On = dateOf(s.Withdrawal.On)
	}
}

// OrgKey is the uniqueness key of a signatory: organisation and region,
// compared without regard to case or surrounding space.
func OrgKey(region, organisation string) string {
	return strings.ToLower(strings.TrimSpace(region)) + "\x00" + strings.ToLower(strings.TrimSpace(organisation))
}

// FieldChange is one field's move from Old to New, both in interchange form.
type FieldChange struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// Diff lists the fields that differ between two versions of a record, in
// the order of RecordFields. A nil old means the record is new.
func Diff(old, new *Signatory) []FieldChange {
	var out []FieldChange
	for _, f := range RecordFields() {
		var o string
		if old != nil {
			o = old.Field(f)
		}
		n := ""
		if new != nil {
			n = new.Field(f)
		}
		if o != n {
			out = append(out, FieldChange{Field: f, Old: o, New: n})
		}
	}
	return out
}

// Actions recorded in history.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionDelete = "delete"
	ActionImport = "import"
)

// Change is one entry in a record's history: who changed what, when, and
// what it did to the tier.
type Change struct {
	Version    uint64        `json:"version"`
	At         time.Time     `json:"at"`
	By         string        `json:"by"`
	Action     string        `json:"action"`
	Fields     []FieldChange `json:"fields"`
	TierBefore Tier          `json:"tier_before"`
	TierAfter  Tier          `json:"tier_after"`
}

// Rebase applies the changes that took a record from `from` to `to` onto
// base, leaving base's other fields as they are: "keep mine" after a
// conflict keeps the reviewer's edits without undoing the other reviewer's.
func Rebase(base, from, to *Signatory) Signatory {
	out := *base
	for _, c := range Diff(from, to) {
		switch c.Field {
		case FieldOrganisation:
			out.Organisation = to.Organisation
		case FieldContactName:
			out.ContactName = to.ContactName
		case FieldEmail:
			out.Email = to.Email
		case FieldSector:
			out.Sector = to.Sector
		case FieldRegion:
			out.Region = to.Region
		case FieldLocalArea:
			out.LocalArea = to.LocalArea
		case FieldEmployees:
			out.Employees = to.Employees
		case FieldSignedBy:
			out.SignedBy = to.SignedBy
		case FieldSignedOn:
			out.SignedOn = to.SignedOn
		case FieldCommitments:
			// Commitments merge one by one: each side's toggles survive.
			added := to.Commitments &^ from.Commitments
			removed := from.Commitments &^ to.Commitments
			out.Commitments = (base.Commitments | added) &^ removed
		case FieldVacancyStatement:
			out.VacancyStatement = to.VacancyStatement
		case FieldReviewStatus:
			out.ReviewStatus = to.ReviewStatus
		case FieldNotes:
			out.Notes = to.Notes
		case FieldLastReviewedOn:
			out.LastReviewedOn = to.LastReviewedOn
		case FieldLastReviewedBy:
			out.LastReviewedBy = to.LastReviewedBy
		case FieldEvidence:
			// Evidence merges commitment by commitment, like the ticks.
			out.Evidence = mergeEvidence(base.Evidence, from.Evidence, to.Evidence)
		case FieldVacancyEvidence:
			out.VacancyEvidence = to.VacancyEvidence
		case FieldWithdrawnOn, FieldWithdrawnReason:
			out.Withdrawal = to.Withdrawal
		}
	}
	return out
}
