package model

import (
	"errors"
	"testing"
)

func TestReadOnlyWrappersRefuseWrites(t *testing.T) {
	var s SignatoryService = ReadOnlySignatories{}
	var a AuditService = ReadOnlyAudit{}
	if err := s.CreateSignatory(&Signatory{}, "x"); !errors.Is(err, ErrReadOnly) {
		t.Error("create allowed")
	}
	if err := s.UpdateSignatory(&Signatory{}, "x"); !errors.Is(err, ErrReadOnly) {
		t.Error("update allowed")
	}
	if err := s.DeleteSignatory(1, 1, "x"); !errors.Is(err, ErrReadOnly) {
		t.Error("delete allowed")
	}
	called := false
	if _, err := a.Annotate(ReturnKey{}, 0, "x", func(*Annotation) { called = true }); !errors.Is(err, ErrReadOnly) || called {
		t.Error("annotate allowed")
	}
}
