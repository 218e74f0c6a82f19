package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"
	"unsafe"

	"charter/model"
)

var timeType = reflect.TypeFor[time.Time]()

// fillRandom sets every field reachable from v to a random value that is
// not its zero value, and fails the test on a kind of field it does not
// know: a field added to model.Signatory is then filled (and must survive
// the round trip) or stops the test, never skipped.
func fillRandom(t *testing.T, r *rand.Rand, v reflect.Value, path string) {
	t.Helper()
	if v.Type() == timeType {
		v.Set(reflect.ValueOf(randomTime(r)))
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() {
				t.Fatalf("%s.%s is unexported: the codec cannot see it", path, f.Name)
			}
			fillRandom(t, r, v.Field(i), path+"."+f.Name)
		}
	case reflect.String:
		v.SetString(randomText(r))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n := r.Int64()
		if r.IntN(2) == 0 {
			n = -n
		}
		v.SetInt(n | 1)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(r.Uint64() | 1)
	case reflect.Pointer:
		p := reflect.New(v.Type().Elem())
		fillRandom(t, r, p.Elem(), path)
		v.Set(p)
	case reflect.Slice:
		n := 1 + r.IntN(4)
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := 0; i < n; i++ {
			fillRandom(t, r, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
		v.Set(s)
	default:
		t.Fatalf("%s is a %s, which this test cannot fill: teach encodeSignatory, decodeBinary and this test about it", path, v.Kind())
	}
}

// randomText is 1–40 bytes, sometimes not UTF-8, sometimes a value the
// decoder shares between records.
func randomText(r *rand.Rand) string {
	if r.IntN(4) == 0 {
		shared := append(append(append([]string{"West Midlands"}, model.LocalAreas()...), string(model.SectorVoluntary)), string(model.StatusWithdrawn))
		return shared[r.IntN(len(shared))]
	}
	b := make([]byte, 1+r.IntN(40))
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return string(b)
}

// randomTime is any instant from year 1 to 9999, in UTC or at an offset.
func randomTime(r *rand.Rand) time.Time {
	sec := r.Int64N(315_000_000_000) - 62_135_596_800
	t := time.Unix(sec, r.Int64N(1e9)).UTC()
	if r.IntN(3) == 0 {
		t = t.In(time.FixedZone("", (1+r.IntN(14*60))*60*(1-2*r.IntN(2))))
	}
	if t.IsZero() {
		t = t.Add(time.Second)
	}
	return t
}

// sameValue compares two decoded values field by field: times as the same
// instant at the same offset, slices of length 0 as equal whether nil or
// not. It returns the path of the first difference.
func sameValue(a, b reflect.Value, path string) string {
	if a.Type() == timeType {
		ta, tb := a.Interface().(time.Time), b.Interface().(time.Time)
		_, oa := ta.Zone()
		_, ob := tb.Zone()
		if !ta.Equal(tb) || oa != ob {
			return fmt.Sprintf("%s: %v != %v", path, ta, tb)
		}
		return ""
	}
	switch a.Kind() {
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if d := sameValue(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name); d != "" {
				return d
			}
		}
		return ""
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return path + ": one is nil"
			}
			return ""
		}
		return sameValue(a.Elem(), b.Elem(), path)
	case reflect.Slice:
		if a.Len() != b.Len() {
			return fmt.Sprintf("%s: %d entries != %d", path, a.Len(), b.Len())
		}
		for i := 0; i < a.Len(); i++ {
			if d := sameValue(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
		return ""
	}
	if !a.Equal(b) {
		return fmt.Sprintf("%s: %#v != %#v", path, a.Interface(), b.Interface())
	}
	return ""
}

func sameSignatory(a, b *model.Signatory) string {
	return sameValue(reflect.ValueOf(*a), reflect.ValueOf(*b), "Signatory")
}

// Every field of model.Signatory, filled at random, survives the binary
// round trip; so does the zero record.
func TestCodecRoundTripEveryField(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var d sigDecoder
	for i := 0; i < 2000; i++ {
		var s model.Signatory
		if i > 0 {
			fillRandom(t, r, reflect.ValueOf(&s).Elem(), "Signatory")
		}
		if i%3 == 1 {
			s.SignedBy = s.ContactName // the decoder shares the two
		}
		data := encodeSignatory(nil, &s)
		if data[0] != sigFormat1 {
			t.Fatalf("format byte %d", data[0])
		}
		var got model.Signatory
		if err := d.decodeSignatory(data, &got); err != nil {
			t.Fatalf("record %d: %v", i, err)
		}
		if diff := sameSignatory(&s, &got); diff != "" {
			t.Fatalf("record %d does not survive the round trip: %s", i, diff)
		}
		// Decoding it again, with a fresh decoder, gives the same bytes.
		if again := encodeSignatory(nil, &got); !bytes.Equal(again, data) {
			t.Fatalf("record %d re-encodes differently", i)
		}
	}
}

// A record written by schema 2 (JSON) and the same record in binary decode
// to the same value, so migrating loses nothing.
func TestCodecAgreesWithJSON(t *testing.T) {
	emp := 40
	s := model.Signatory{ID: 7, Organisation: "Brindley Printing", ContactName: "Ann Example", Email: "ann@example.org",
		Sector: model.SectorSocialEnterprise, Region: "West Midlands", LocalArea: "Walsall", Employees: &emp,
		SignedBy: "Ann", SignedOn: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), Commitments: 0b1010_0101,
		VacancyStatement: true, ReviewStatus: model.StatusWithdrawn, Notes: "two\nlines, ünïcode",
		LastReviewedOn: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC), LastReviewedBy: "Sam",
		Evidence:        []model.CommitmentEvidence{{Commitment: model.Training, Evidence: model.Evidence{Note: "policy p.4", By: "Sam", On: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)}}},
		VacancyEvidence: model.Evidence{Note: "careers page", By: "Lee", On: time.Date(2025, 2, 3, 0, 0, 0, 0, time.UTC)},
		Withdrawal:      model.Withdrawal{Reason: "closed", On: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), By: "Kim", Prior: model.StatusVerified},
		Created:         time.Date(2024, 3, 1, 9, 30, 0, 123456789, time.UTC), Updated: time.Date(2025, 6, 1, 10, 0, 0, 0, time.UTC), Version: 5}
	js, err := json.Marshal(&s)
	if err != nil {
		t.Fatal(err)
	}
	var fromJSON, fromBinary model.Signatory
	if err := decodeSignatory(js, &fromJSON); err != nil {
		t.Fatal(err)
	}
	if err := decodeSignatory(encodeSignatory(nil, &s), &fromBinary); err != nil {
		t.Fatal(err)
	}
	if d := sameSignatory(&fromJSON, &fromBinary); d != "" {
		t.Fatal(d)
	}
	if d := sameSignatory(&s, &fromBinary); d != "" {
		t.Fatal(d)
	}
}

// A decoded record owns its memory: changing the bytes it came from (as
// bbolt reuses a page) changes nothing in it. The strings of one record
// sit in one block; the shared values (sector, region, a local area, the
// status) are the same string in every record.
func TestCodecCopiesOnceAndShares(t *testing.T) {
	a, b := sample("Alpha Ltd", 3), sample("Beta Ltd", 1)
	a.Notes, b.Notes = "first notes", "second notes"
	a.ReviewStatus, b.ReviewStatus = model.StatusPending, model.StatusPending
	da, db := encodeSignatory(nil, &a), encodeSignatory(nil, &b)
	var d sigDecoder
	var ga, gb model.Signatory
	if err := d.decodeSignatory(da, &ga); err != nil {
		t.Fatal(err)
	}
	if err := d.decodeSignatory(db, &gb); err != nil {
		t.Fatal(err)
	}
	for i := range da {
		da[i] = 0xff
	}
	if ga.Organisation != "Alpha Ltd" || ga.Notes != "first notes" || *ga.Employees != 25 {
		t.Fatalf("decoded record changed with its source: %+v", ga)
	}
	org, notes := unsafe.StringData(ga.Organisation), unsafe.StringData(ga.Notes)
	// Organisation, contact, email and notes are the record's own text,
	// back to back in one block; the signer is the contact, so the name
	// is not copied twice.
	own := len(ga.Organisation) + len(ga.ContactName) + len(ga.Email) + len(ga.Notes)
	if ga.SignedBy != ga.ContactName || unsafe.StringData(ga.SignedBy) != unsafe.StringData(ga.ContactName) {
		t.Errorf("signed by %q is a copy of the contact %q", ga.SignedBy, ga.ContactName)
	}
	if span := uintptr(unsafe.Pointer(notes)) + uintptr(len(ga.Notes)) - uintptr(unsafe.Pointer(org)); span != uintptr(own) {
		t.Errorf("the record's own text spans %d bytes, want %d in one block", span, own)
	}
	for _, pair := range [][2]string{{string(ga.Sector), string(gb.Sector)}, {ga.Region, gb.Region},
		{ga.LocalArea, gb.LocalArea}, {string(ga.ReviewStatus), string(gb.ReviewStatus)}} {
		if unsafe.StringData(pair[0]) != unsafe.StringData(pair[1]) {
			t.Errorf("%q is copied into each record instead of shared", pair[0])
		}
	}
	// Changing one record's number of employees leaves the other's.
	*ga.Employees = 99
	if *gb.Employees != 25 {
		t.Error("two records share one number of employees")
	}
}

// Bad records are refused with an error saying where and why; no prefix
// of a good record decodes, and none panics.
func TestCodecRefusesBadRecords(t *testing.T) {
	s := sample("Gamma Ltd", 2)
	s.SetEvidence(model.Training, "seen", "Sam", time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC))
	good := encodeSignatory(nil, &s)
	for n := 0; n < len(good); n++ {
		var got model.Signatory
		if err := decodeSignatory(good[:n], &got); err == nil {
			t.Fatalf("a record cut to %d of %d bytes decoded", n, len(good))
		}
	}
	withTime := func(head ...byte) []byte {
		// format, ID 1, version 1, no flags, no commitments, then a time.
		return append([]byte{sigFormat1, 1, 1, 0, 0}, head...)
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "the record is empty"},
		{"unknown format", []byte{2, 1, 1}, "unknown record format 2 (this charter reads format 1)"},
		{"unknown flags", []byte{sigFormat1, 1, 1, 0x80, 0}, "byte 3 of 5: unknown flags 0x80"},
		{"overlong number", append([]byte{sigFormat1}, bytes.Repeat([]byte{0xff}, 11)...), "byte 1 of 12: a number overflows 64 bits"},
		{"time without its mark", withTime(2), "a time has a bad header 0x2"},
		{"nanoseconds out of range", withTime(binary.AppendUvarint(nil, 1e9<<2|1)...), "a time has a bad header 0xee6b2801"},
		{"offset of a day and more", withTime(binary.AppendVarint([]byte{3, 0}, 86401)...), "a time has a zone offset of 86401 seconds"},
		{"offset of zero, which is written as UTC", withTime(3, 0, 0), "a time has a zone offset of 0 seconds"},
		{"trailing byte", append(append([]byte{}, good...), 'x'), "the text fields take"},
		{"too many evidence entries", append([]byte{sigFormat1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, 0xff, 0x01), "255 evidence entries cannot fit in the record"},
		{"JSON that is broken", []byte(`{"id":`), "unexpected end of JSON input"},
	} {
		var got model.Signatory
		err := decodeSignatory(c.data, &got)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

// FuzzDecodeSignatory: whatever the bytes, decoding returns an error or a
// record, never panics; a record it returns encodes to bytes that decode
// to the same record and re-encode to the same bytes.
func FuzzDecodeSignatory(f *testing.F) {
	s := sample("Seed Ltd", 4)
	f.Add(encodeSignatory(nil, &s))
	s.SetEvidence(model.BanTheBox, "form", "Sam", time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC))
	s.Withdrawal = model.Withdrawal{Reason: "gone", By: "Kim", Prior: model.StatusPending}
	f.Add(encodeSignatory(nil, &s))
	f.Add(encodeSignatory(nil, &model.Signatory{}))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 0 && data[0] == '{' {
			return // JSON is encoding/json's to check
		}
		var got model.Signatory
		if err := decodeSignatory(data, &got); err != nil {
			return
		}
		enc := encodeSignatory(nil, &got)
		var again model.Signatory
		if err := decodeSignatory(enc, &again); err != nil {
			t.Fatalf("a decoded record re-encodes to bytes that do not decode: %v", err)
		}
		if d := sameSignatory(&got, &again); d != "" {
			t.Fatalf("re-encoding changed the record: %s", d)
		}
		if enc2 := encodeSignatory(nil, &again); !bytes.Equal(enc, enc2) {
			t.Fatal("the encoding of a record is not stable")
		}
	})
}
