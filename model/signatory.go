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
)

// ReviewStatuses lists the statuses in review order.
func ReviewStatuses() []ReviewStatus {
	return []ReviewStatus{StatusPending, StatusVerified, StatusNeedsInfo}
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

	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
	// Version starts at 1 and goes up by one on every saved change; a save
	// that names an older version is refused with ErrConflict.
	Version uint64 `json:"version"`
}

// Tier is the tier the signatory's commitments earn.
func (s *Signatory) Tier() Tier { return s.Commitments.Tier() }

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
)

// SignatoryFields lists the interchange columns in their canonical order.
func SignatoryFields() []string {
	return []string{FieldOrganisation, FieldContactName, FieldEmail, FieldSector, FieldRegion,
		FieldLocalArea, FieldEmployees, FieldSignedBy, FieldSignedOn, FieldCommitments,
		FieldVacancyStatement, FieldReviewStatus, FieldNotes}
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
	}
	return ""
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
	if !s.SignedOn.IsZero() {
		y, m, d := s.SignedOn.Date()
		s.SignedOn = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
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
// interchange-column order. A nil old means the record is new.
func Diff(old, new *Signatory) []FieldChange {
	var out []FieldChange
	for _, f := range SignatoryFields() {
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
		}
	}
	return out
}
