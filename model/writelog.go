package model

// WriteGate decides, at the moment of each write, whether it may happen
// (nil) or is refused with the error it returns. The SSH server uses it to
// stop a session whose key was revoked from saving while it is being
// closed.
type WriteGate func() error

// WriteLog is told of every write a session attempted: what it was, its
// outcome (nil when it committed), and key-value details (record id,
// version, tier, return).
type WriteLog func(what string, err error, kv ...any)

// LoggedSignatories forwards to Next, passing every write through Gate
// (when set) and telling Log (when set) of its outcome. Reads pass
// straight through.
type LoggedSignatories struct {
	Next SignatoryService
	Gate WriteGate
	Log  WriteLog
}

func (l LoggedSignatories) Signatory(id uint64) (Signatory, error) { return l.Next.Signatory(id) }
func (l LoggedSignatories) SignatoryPage(after uint64, limit int) ([]Signatory, error) {
	return l.Next.SignatoryPage(after, limit)
}
func (l LoggedSignatories) Signatories() ([]Signatory, error) { return l.Next.Signatories() }
func (l LoggedSignatories) SignatoryHistory(id uint64) ([]Change, error) {
	return l.Next.SignatoryHistory(id)
}
func (l LoggedSignatories) TierCounts() (TierCounts, error) { return l.Next.TierCounts() }
func (l LoggedSignatories) CountSignatories() (int, error)  { return l.Next.CountSignatories() }

func (l LoggedSignatories) CreateSignatory(s *Signatory, by string) error {
	err := gate(l.Gate)
	if err == nil {
		err = l.Next.CreateSignatory(s, by)
	}
	l.log("write: signatory created", err, s)
	return err
}

func (l LoggedSignatories) UpdateSignatory(s *Signatory, by string) error {
	err := gate(l.Gate)
	if err == nil {
		err = l.Next.UpdateSignatory(s, by)
	}
	l.log("write: signatory saved", err, s)
	return err
}

func (l LoggedSignatories) DeleteSignatory(id, version uint64, by string) error {
	err := gate(l.Gate)
	if err == nil {
		err = l.Next.DeleteSignatory(id, version, by)
	}
	if l.Log != nil {
		l.Log("write: signatory deleted", err, "id", id, "version", version)
	}
	return err
}

func (l LoggedSignatories) log(what string, err error, s *Signatory) {
	if l.Log == nil {
		return
	}
	if s == nil {
		l.Log(what, err)
		return
	}
	l.Log(what, err, "id", s.ID, "version", s.Version, "tier", s.Tier().String())
}

// LoggedAudit is LoggedSignatories for the audit service.
type LoggedAudit struct {
	Next AuditService
	Gate WriteGate
	Log  WriteLog
}

func (l LoggedAudit) Audit() (*Audit, error) { return l.Next.Audit() }
func (l LoggedAudit) ReturnHistory(key ReturnKey) ([]AnnotationChange, error) {
	return l.Next.ReturnHistory(key)
}

func (l LoggedAudit) Annotate(key ReturnKey, version uint64, by string, edit func(*Annotation)) (Annotation, error) {
	var a Annotation
	err := gate(l.Gate)
	if err == nil {
		a, err = l.Next.Annotate(key, version, by, edit)
	}
	if l.Log != nil {
		l.Log("write: return annotated", err, "return", key.String(), "version", a.Version)
	}
	return a, err
}

func gate(g WriteGate) error {
	if g == nil {
		return nil
	}
	return g()
}

// LoggedSettings is LoggedSignatories for the settings.
type LoggedSettings struct {
	Next SettingsService
	Gate WriteGate
	Log  WriteLog
}

func (l LoggedSettings) ReviewPeriod() (ReviewPeriod, error) { return l.Next.ReviewPeriod() }

func (l LoggedSettings) SetReviewPeriod(p ReviewPeriod, by string) error {
	err := gate(l.Gate)
	if err == nil {
		err = l.Next.SetReviewPeriod(p, by)
	}
	if l.Log != nil {
		l.Log("write: review period set", err, "months", int(p))
	}
	return err
}
