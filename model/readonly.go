package model

// ReadOnlySignatories serves reads and refuses every write with
// ErrReadOnly. Observers' sessions get it, so the refusal happens where
// writes happen, whatever the screens offer.
type ReadOnlySignatories struct{ SignatoryService }

func (ReadOnlySignatories) CreateSignatory(*Signatory, string) error { return ErrReadOnly }
func (ReadOnlySignatories) UpdateSignatory(*Signatory, string) error { return ErrReadOnly }
func (ReadOnlySignatories) DeleteSignatory(uint64, uint64, string) error {
	return ErrReadOnly
}

// ReadOnlyAudit serves reads and refuses annotations with ErrReadOnly.
type ReadOnlyAudit struct{ AuditService }

func (ReadOnlyAudit) Annotate(ReturnKey, uint64, string, func(*Annotation)) (Annotation, error) {
	return Annotation{}, ErrReadOnly
}
