package model

// The wrappers below decorate the services for one SSH session. Each
// forwards every method by hand, reads and writes alike, and embeds no
// interface: a method added to a service interface stops the build here
// until someone decides whether it reads or writes, instead of slipping
// through a read-only session unchecked (readonly_test.go also checks the
// classification by reflection).

// ReadOnlySignatories serves reads and refuses every write with
// ErrReadOnly. Observers' sessions get it, so the refusal happens where
// writes happen, whatever the screens offer.
type ReadOnlySignatories struct{ Next SignatoryService }

func (r ReadOnlySignatories) Signatory(id uint64) (Signatory, error) { return r.Next.Signatory(id) }
func (r ReadOnlySignatories) SignatoryPage(after uint64, limit int) ([]Signatory, error) {
	return r.Next.SignatoryPage(after, limit)
}
func (r ReadOnlySignatories) Signatories() ([]Signatory, error) { return r.Next.Signatories() }
func (r ReadOnlySignatories) SignatoryHistory(id uint64) ([]Change, error) {
	return r.Next.SignatoryHistory(id)
}
func (r ReadOnlySignatories) TierCounts() (TierCounts, error) { return r.Next.TierCounts() }
func (r ReadOnlySignatories) CountSignatories() (int, error)  { return r.Next.CountSignatories() }

func (ReadOnlySignatories) CreateSignatory(*Signatory, string) error     { return ErrReadOnly }
func (ReadOnlySignatories) UpdateSignatory(*Signatory, string) error     { return ErrReadOnly }
func (ReadOnlySignatories) DeleteSignatory(uint64, uint64, string) error { return ErrReadOnly }

// ReadOnlyAudit serves reads and refuses annotations with ErrReadOnly.
type ReadOnlyAudit struct{ Next AuditService }

func (r ReadOnlyAudit) Audit() (*Audit, error) { return r.Next.Audit() }
func (r ReadOnlyAudit) ReturnHistory(key ReturnKey) ([]AnnotationChange, error) {
	return r.Next.ReturnHistory(key)
}

func (ReadOnlyAudit) Annotate(ReturnKey, uint64, string, func(*Annotation)) (Annotation, error) {
	return Annotation{}, ErrReadOnly
}

// ReadOnlyImporter refuses every import with ErrReadOnly.
type ReadOnlyImporter struct{}

func (ReadOnlyImporter) ImportSignatories([]Signatory, ImportOptions, string) (ImportResult, error) {
	return ImportResult{}, ErrReadOnly
}
func (ReadOnlyImporter) ImportAudit(*Audit, ImportOptions, string) (ImportResult, error) {
	return ImportResult{}, ErrReadOnly
}

// ReadOnlySettings serves the settings and refuses to change them.
type ReadOnlySettings struct{ Next SettingsService }

func (r ReadOnlySettings) ReviewPeriod() (ReviewPeriod, error)      { return r.Next.ReviewPeriod() }
func (ReadOnlySettings) SetReviewPeriod(ReviewPeriod, string) error { return ErrReadOnly }
