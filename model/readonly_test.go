package model

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"reflect"
	"sort"
	"strings"
	"testing"
)

// methodClass says, for every service interface of this package, which of
// its methods only read and which write. A new interface or method must be
// added here, and to the wrappers, before this test passes.
var methodClass = map[string]struct{ reads, writes []string }{
	"SignatoryService": {
		reads:  []string{"Signatory", "SignatoryPage", "Signatories", "SignatoryHistory", "TierCounts", "CountSignatories"},
		writes: []string{"CreateSignatory", "UpdateSignatory", "DeleteSignatory"},
	},
	"AuditService": {
		reads:  []string{"Audit", "ReturnHistory"},
		writes: []string{"Annotate"},
	},
	"EventService": {
		reads: []string{"Subscribe"},
	},
	"Importer": {
		writes: []string{"ImportSignatories", "ImportAudit"},
	},
	"SettingsService": {
		reads:  []string{"ReviewPeriod"},
		writes: []string{"SetReviewPeriod"},
	},
}

// interfaceTypes lists the package's exported interfaces from its source,
// so a new service interface cannot go unclassified.
func interfaceTypes(t *testing.T) []string {
	t.Helper()
	pkgs, err := parser.ParseDir(token.NewFileSet(), ".", func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range pkgs {
		for _, f := range p.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				if ts, ok := n.(*ast.TypeSpec); ok && ts.Name.IsExported() {
					if _, ok := ts.Type.(*ast.InterfaceType); ok {
						names = append(names, ts.Name.Name)
					}
				}
				return true
			})
		}
	}
	sort.Strings(names)
	return names
}

var ifaceTypes = map[string]reflect.Type{
	"SignatoryService": reflect.TypeFor[SignatoryService](),
	"AuditService":     reflect.TypeFor[AuditService](),
	"EventService":     reflect.TypeFor[EventService](),
	"Importer":         reflect.TypeFor[Importer](),
	"SettingsService":  reflect.TypeFor[SettingsService](),
}

func TestEveryServiceMethodIsClassified(t *testing.T) {
	for _, name := range interfaceTypes(t) {
		class, ok := methodClass[name]
		typ := ifaceTypes[name]
		if !ok || typ == nil {
			t.Errorf("interface %s is not classified: list its reads and writes in methodClass and give it read-only and logged wrappers", name)
			continue
		}
		known := map[string]bool{}
		for _, m := range append(append([]string{}, class.reads...), class.writes...) {
			known[m] = true
			if _, ok := typ.MethodByName(m); !ok {
				t.Errorf("%s.%s is classified but does not exist", name, m)
			}
		}
		for i := 0; i < typ.NumMethod(); i++ {
			if m := typ.Method(i).Name; !known[m] {
				t.Errorf("%s.%s is neither a read nor a write: classify it here and forward or refuse it in the wrappers", name, m)
			}
		}
	}
}

// fake records which methods reached it.
type fake struct{ calls []string }

func (f *fake) hit(m string) { f.calls = append(f.calls, m) }

func (f *fake) Signatory(uint64) (Signatory, error) { f.hit("Signatory"); return Signatory{}, nil }
func (f *fake) SignatoryPage(uint64, int) ([]Signatory, error) {
	f.hit("SignatoryPage")
	return nil, nil
}
func (f *fake) Signatories() ([]Signatory, error) { f.hit("Signatories"); return nil, nil }
func (f *fake) CreateSignatory(*Signatory, string) error {
	f.hit("CreateSignatory")
	return nil
}
func (f *fake) UpdateSignatory(*Signatory, string) error {
	f.hit("UpdateSignatory")
	return nil
}
func (f *fake) DeleteSignatory(uint64, uint64, string) error {
	f.hit("DeleteSignatory")
	return nil
}
func (f *fake) SignatoryHistory(uint64) ([]Change, error) { f.hit("SignatoryHistory"); return nil, nil }
func (f *fake) TierCounts() (TierCounts, error)           { f.hit("TierCounts"); return TierCounts{}, nil }
func (f *fake) CountSignatories() (int, error)            { f.hit("CountSignatories"); return 0, nil }
func (f *fake) Audit() (*Audit, error)                    { f.hit("Audit"); return nil, nil }
func (f *fake) Annotate(ReturnKey, uint64, string, func(*Annotation)) (Annotation, error) {
	f.hit("Annotate")
	return Annotation{}, nil
}
func (f *fake) ReturnHistory(ReturnKey) ([]AnnotationChange, error) {
	f.hit("ReturnHistory")
	return nil, nil
}
func (f *fake) ReviewPeriod() (ReviewPeriod, error) {
	f.hit("ReviewPeriod")
	return DefaultReviewPeriod, nil
}
func (f *fake) SetReviewPeriod(ReviewPeriod, string) error {
	f.hit("SetReviewPeriod")
	return nil
}

// call invokes a method by name with zero (or empty, non-nil) arguments
// and returns its error result.
func call(t *testing.T, v any, name string) (error, bool) {
	t.Helper()
	m := reflect.ValueOf(v).MethodByName(name)
	if !m.IsValid() {
		t.Fatalf("%T has no method %s", v, name)
	}
	var edited bool
	args := make([]reflect.Value, m.Type().NumIn())
	for i := range args {
		at := m.Type().In(i)
		switch at.Kind() {
		case reflect.Pointer:
			args[i] = reflect.New(at.Elem())
		case reflect.Func:
			args[i] = reflect.MakeFunc(at, func([]reflect.Value) []reflect.Value { edited = true; return nil })
		default:
			args[i] = reflect.Zero(at)
		}
	}
	out := m.Call(args)
	last := out[len(out)-1]
	if last.IsNil() {
		return nil, edited
	}
	return last.Interface().(error), edited
}

func TestReadOnlyWrappersForwardReadsAndRefuseWrites(t *testing.T) {
	for name, wrap := range map[string]func(*fake) any{
		"SignatoryService": func(f *fake) any { return ReadOnlySignatories{Next: f} },
		"AuditService":     func(f *fake) any { return ReadOnlyAudit{Next: f} },
		"Importer":         func(*fake) any { return ReadOnlyImporter{} },
		"SettingsService":  func(f *fake) any { return ReadOnlySettings{Next: f} },
	} {
		class := methodClass[name]
		if !reflect.TypeOf(wrap(&fake{})).Implements(ifaceTypes[name]) {
			t.Fatalf("read-only wrapper for %s does not implement it", name)
		}
		for _, m := range class.reads {
			f := &fake{}
			if err, _ := call(t, wrap(f), m); err != nil || len(f.calls) != 1 || f.calls[0] != m {
				t.Errorf("read-only %s.%s: err %v, reached %v", name, m, err, f.calls)
			}
		}
		for _, m := range class.writes {
			f := &fake{}
			err, edited := call(t, wrap(f), m)
			if !errors.Is(err, ErrReadOnly) || len(f.calls) != 0 || edited {
				t.Errorf("read-only %s.%s: err %v, reached %v, edit ran %v", name, m, err, f.calls, edited)
			}
		}
	}
}

func TestLoggedWrappersGateAndLogEveryWrite(t *testing.T) {
	revoked := errors.New("revoked")
	for name, wrap := range map[string]func(*fake, WriteGate, WriteLog) any{
		"SignatoryService": func(f *fake, g WriteGate, l WriteLog) any { return LoggedSignatories{Next: f, Gate: g, Log: l} },
		"AuditService":     func(f *fake, g WriteGate, l WriteLog) any { return LoggedAudit{Next: f, Gate: g, Log: l} },
		"SettingsService":  func(f *fake, g WriteGate, l WriteLog) any { return LoggedSettings{Next: f, Gate: g, Log: l} },
	} {
		class := methodClass[name]
		if !reflect.TypeOf(wrap(&fake{}, nil, nil)).Implements(ifaceTypes[name]) {
			t.Fatalf("logged wrapper for %s does not implement it", name)
		}
		for _, m := range class.reads {
			f := &fake{}
			logged := 0
			w := wrap(f, func() error { return revoked }, func(string, error, ...any) { logged++ })
			if err, _ := call(t, w, m); err != nil || len(f.calls) != 1 || logged != 0 {
				t.Errorf("logged %s.%s: err %v, reached %v, logged %d", name, m, err, f.calls, logged)
			}
		}
		for _, m := range class.writes {
			// Open gate: the write happens and is logged as done.
			f := &fake{}
			var what []string
			var errs []error
			w := wrap(f, func() error { return nil }, func(s string, err error, kv ...any) {
				what, errs = append(what, s), append(errs, err)
				if len(kv)%2 != 0 {
					t.Errorf("%s logged odd key-values %v", m, kv)
				}
			})
			if err, _ := call(t, w, m); err != nil || len(f.calls) != 1 || len(what) != 1 || !strings.HasPrefix(what[0], "write: ") || errs[0] != nil {
				t.Errorf("logged %s.%s: err %v, reached %v, logged %q %v", name, m, err, f.calls, what, errs)
			}
			// Closed gate: refused before it reaches the store, and the
			// refusal is logged.
			f, what, errs = &fake{}, nil, nil
			w = wrap(f, func() error { return revoked }, func(s string, err error, kv ...any) { what, errs = append(what, s), append(errs, err) })
			if err, edited := call(t, w, m); !errors.Is(err, revoked) || len(f.calls) != 0 || edited || len(errs) != 1 || !errors.Is(errs[0], revoked) {
				t.Errorf("gated %s.%s: err %v, reached %v, logged %v", name, m, err, f.calls, errs)
			}
		}
	}
}
